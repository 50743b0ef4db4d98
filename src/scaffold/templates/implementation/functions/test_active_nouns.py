def test_active_@noun@s_drops_revoked() -> None:
    kept = @Entity@Record(record_id="a")
    dropped = @Entity@Record(record_id="b", status="revoked")
    assert active_@noun@s([kept, dropped]) == [kept]

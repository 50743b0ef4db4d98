def test_is_@noun@_accepted_at_threshold() -> None:
    record = @Entity@Record(record_id="r-1", score=DEFAULT_THRESHOLD)
    assert is_@noun@_accepted(record)
    assert not is_@noun@_accepted(dataclasses.replace(record, status="revoked"))

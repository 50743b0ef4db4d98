def test_summarize_@noun@s_counts_per_status() -> None:
    active = @Entity@Record(record_id="a")
    expired = @Entity@Record(record_id="b", status="expired")
    records = [active, expired]
    assert summarize_@noun@s(records) == {"active": 1, "expired": 1}

def test_normalize_@noun@_status_trims_and_lowercases() -> None:
    record = @Entity@Record(record_id="a", status=" Active ")
    assert normalize_@noun@_status(record).status == "active"

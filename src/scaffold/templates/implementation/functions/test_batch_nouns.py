def test_batch_@noun@s_splits_evenly() -> None:
    records = [@Entity@Record(record_id=str(index)) for index in range(5)]
    assert [len(batch) for batch in batch_@noun@s(records, size=2)] == [2, 2, 1]

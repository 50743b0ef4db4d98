def test_rank_@noun@s_orders_by_score() -> None:
    low = @Entity@Record(record_id="a", score=0.1)
    high = @Entity@Record(record_id="b", score=0.9)
    assert rank_@noun@s([low, high]) == [high, low]

def test_merge_@noun@s_keeps_higher_score() -> None:
    older = @Entity@Record(record_id="a", score=0.8)
    newer = @Entity@Record(record_id="a", score=0.2, status="expired")
    assert merge_@noun@s(older, newer) == @Entity@Record(record_id="a", score=0.8, status="expired")

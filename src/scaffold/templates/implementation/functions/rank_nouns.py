def rank_@noun@s(records: Iterable[@Entity@Record]) -> list[@Entity@Record]:
    """Orders records by score, highest first; ties are ordered by id so results are stable."""
    return sorted(records, key=lambda record: (-record.score, record.record_id))

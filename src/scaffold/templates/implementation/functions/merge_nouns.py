def merge_@noun@s(
    older: @Entity@Record, newer: @Entity@Record
) -> @Entity@Record:
    """Combines two versions of one record: the newer status wins, the higher score is kept."""
    if older.record_id != newer.record_id:
        raise ValueError("cannot merge different records")
    return dataclasses.replace(newer, score=max(older.score, newer.score))

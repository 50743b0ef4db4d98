def is_@noun@_accepted(
    record: @Entity@Record, threshold: float = DEFAULT_THRESHOLD
) -> bool:
    """True when the record is active and its score reaches the threshold."""
    LOG.debug("is_@noun@_accepted %s", record.record_id)
    return record.status == "active" and record.score >= threshold

def normalize_@noun@_status(record: @Entity@Record) -> @Entity@Record:
    """Lower-cases and trims the status so that comparisons are exact."""
    return dataclasses.replace(record, status=record.status.strip().lower())

def batch_@noun@s(
    records: list[@Entity@Record], size: int = BATCH_SIZE
) -> list[list[@Entity@Record]]:
    """Splits records into batches for the hourly anchoring job."""
    if size <= 0:
        raise ValueError("batch size must be positive")
    return [records[index:index + size] for index in range(0, len(records), size)]

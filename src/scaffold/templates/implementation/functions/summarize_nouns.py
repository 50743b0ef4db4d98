def summarize_@noun@s(records: Iterable[@Entity@Record]) -> dict[str, int]:
    """Counts records per status, for metrics and audit summaries."""
    counts: dict[str, int] = {}
    for record in records:
        counts[record.status] = counts.get(record.status, 0) + 1
    return counts

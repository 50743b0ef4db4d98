def active_@noun@s(records: Iterable[@Entity@Record]) -> list[@Entity@Record]:
    """Drops revoked and expired records."""
    return [record for record in records if record.status == "active"]

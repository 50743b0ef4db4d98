def @noun@_digest(record: @Entity@Record, pepper: bytes) -> str:
    """SHA3-256 digest of the record id under the tenant pepper: the only form that leaves the service."""
    return hashlib.sha3_256(pepper + record.record_id.encode("utf-8")).hexdigest()

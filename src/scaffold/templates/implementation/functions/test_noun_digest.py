def test_@noun@_digest_is_sha3_256_hex() -> None:
    digest = @noun@_digest(@Entity@Record(record_id="a"), b"tenant-pepper")
    assert len(digest) == 64

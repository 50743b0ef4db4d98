"""Hashing primitives of SSID: personal attributes are kept only as SHA3-256 digests.

Primary algorithm: SHA3-256 (the hash-only data policy). Approved for non-personal data:
BLAKE3, SHA-256 and SHA-512. Digests of personal attributes are computed with the tenant's
pepper, so they are deterministic within a tenant and unlinkable across tenants.
"""

from __future__ import annotations

import hashlib
import hmac

PRIMARY_ALGORITHM = "SHA3-256"
APPROVED_ALGORITHMS = ("SHA3-256", "BLAKE3", "SHA-256", "SHA-512")


def sha3_256_digest(value: str, pepper: bytes) -> str:
    """Deterministic SHA3-256 digest of a normalised attribute under the tenant pepper."""
    normalised = " ".join(value.split()).casefold().encode("utf-8")
    return hmac.new(pepper, normalised, hashlib.sha3_256).hexdigest()


def sha256_digest(data: bytes) -> str:
    """SHA-256 of non-personal payloads (artefacts, release bundles)."""
    return hashlib.sha256(data).hexdigest()


def sha512_digest(data: bytes) -> str:
    """SHA-512 checksums of long-term archives."""
    return hashlib.sha512(data).hexdigest()


def digests_equal(left: str, right: str) -> bool:
    """Compares two digests in constant time."""
    return hmac.compare_digest(left, right)

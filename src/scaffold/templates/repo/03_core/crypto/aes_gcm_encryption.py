"""Encryption at rest: AES-256-GCM with 96-bit nonces and per-tenant data keys.

Keys come from the key management service in 15_infra; this module only wraps the AEAD calls.
"""

from __future__ import annotations

import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

ALGORITHM = "AES-256-GCM"
KEY_BITS = 256
NONCE_BYTES = 12


def encrypt(data_key: bytes, plaintext: bytes, associated: bytes) -> bytes:
    """Returns nonce || ciphertext || tag."""
    if len(data_key) * 8 != KEY_BITS:
        raise ValueError("AES-256-GCM needs a 256-bit key")
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(data_key).encrypt(nonce, plaintext, associated)


def decrypt(data_key: bytes, sealed: bytes, associated: bytes) -> bytes:
    """Inverse of encrypt; raises on a wrong key or tampered data."""
    nonce, body = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
    return AESGCM(data_key).decrypt(nonce, body, associated)

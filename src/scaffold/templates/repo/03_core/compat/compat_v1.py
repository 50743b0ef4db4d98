"""Compatibility layer for contract v1 clients during the 180-day deprecation window.

Maps v1 request fields to the v2 contract; removed when the notice period ends (see
16_codex/migrations/v1_to_v2.md).
"""

from __future__ import annotations

V1_TO_V2_FIELDS = {"subject_hash": "subject_digest", "issued": "issued_at", "state": "status"}


def upgrade_request(v1: dict[str, object]) -> dict[str, object]:
    """Renames v1 fields to their v2 names; unknown fields pass through unchanged."""
    return {V1_TO_V2_FIELDS.get(key, key): value for key, value in v1.items()}

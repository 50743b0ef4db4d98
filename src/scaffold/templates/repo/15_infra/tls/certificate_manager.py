"""Certificate management for mTLS between services: short-lived leaf certificates (24 hours)
issued by the internal CA and renewed at two thirds of their lifetime. TLS 1.3 only.
"""

from __future__ import annotations

from datetime import datetime, timedelta

LEAF_LIFETIME = timedelta(hours=24)
MIN_TLS_VERSION = "TLSv1.3"


def renewal_due(not_before: datetime, now: datetime) -> bool:
    """True once two thirds of the certificate's lifetime have passed."""
    return now - not_before >= LEAF_LIFETIME * 2 / 3

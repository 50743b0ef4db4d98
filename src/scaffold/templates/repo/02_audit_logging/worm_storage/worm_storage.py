"""WORM (write once, read many) storage of the audit ledger.

Objects are written with an object lock in compliance mode and a retention of 10 years
(10 year retention for audit evidence); they cannot be altered or deleted before that date.
"""

from __future__ import annotations

from datetime import date

RETENTION_YEARS = 10
LOCK_MODE = "COMPLIANCE"


def retain_until(written_on: date) -> date:
    """The first day on which an object written on `written_on` may be deleted."""
    try:
        return written_on.replace(year=written_on.year + RETENTION_YEARS)
    except ValueError:  # 29 February
        return written_on.replace(year=written_on.year + RETENTION_YEARS, day=28)


def lock_parameters(written_on: date) -> dict[str, str]:
    """Object-lock parameters for one ledger segment."""
    return {"mode": LOCK_MODE, "retain_until": retain_until(written_on).isoformat()}

"""@impl@ implementation of shard @id@.

Scope of the shard: @gloss@.

Shared record type and constants; the modules of this package hold the shard's rules.
"""

from __future__ import annotations

import dataclasses

__all__ = ["BATCH_SIZE", "DEFAULT_THRESHOLD", "SHARD_ID", "@Entity@Record"]

SHARD_ID = "@id@"
DEFAULT_THRESHOLD = @threshold@
BATCH_SIZE = @batch@


@dataclasses.dataclass(frozen=True)
class @Entity@Record:
    """A record exchanged over the shard contract; attributes arrive as digests, never in clear text."""

    record_id: str
    status: str = "active"
    score: float = 0.0
    subject_digest: str = ""

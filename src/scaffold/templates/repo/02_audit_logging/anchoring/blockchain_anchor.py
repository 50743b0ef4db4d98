"""Hash ledger anchoring: every hour the Merkle root of the audit ledger is anchored on a public
blockchain, Ethereum mainnet first and Polygon as the low-cost secondary chain.

Schedule: hourly (cron "0 * * * *", an interval of 3600 seconds). Only hashes leave SSID.
"""

from __future__ import annotations

import hashlib

ANCHOR_INTERVAL_SECONDS = 3600
ANCHOR_CHAINS = ("ethereum", "polygon")


def merkle_root(leaves: list[str]) -> str:
    """Merkle root (SHA3-256) of hex digests; an empty batch anchors the digest of nothing."""
    if not leaves:
        return hashlib.sha3_256(b"").hexdigest()
    level = [bytes.fromhex(leaf) for leaf in leaves]
    while len(level) > 1:
        if len(level) % 2:
            level.append(level[-1])
        level = [hashlib.sha3_256(level[i] + level[i + 1]).digest() for i in range(0, len(level), 2)]
    return level[0].hex()


def anchor_payload(leaves: list[str], chain: str = "ethereum") -> dict[str, str]:
    """The transaction payload for one hourly anchoring run."""
    if chain not in ANCHOR_CHAINS:
        raise ValueError(f"unsupported chain: {chain}")
    return {"chain": chain, "merkle_root": merkle_root(leaves), "schedule": "hourly"}

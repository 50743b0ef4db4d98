"""Builds entities_to_check.json for the OPA sanctions policy before `opa eval` runs.

Each entity is keyed by the sha256 of its normalised name, so the policy input carries no clear text.
"""

from __future__ import annotations

import hashlib
import json
import sys


def entity_key(name: str) -> str:
    """sha256 of the case-folded, whitespace-normalised name."""
    return hashlib.sha256(" ".join(name.split()).casefold().encode("utf-8")).hexdigest()


def build(names: list[str]) -> str:
    """The entities_to_check.json document for a list of names."""
    return json.dumps({"entities": sorted(entity_key(name) for name in names)}, indent=2)


if __name__ == "__main__":
    print(build([line.strip() for line in sys.stdin if line.strip()]))

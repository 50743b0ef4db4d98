"""GDPR data-subject rights in SSID.

Right to erasure (Art. 17): SSID keeps no clear-text personal data, only peppered SHA3-256
digests, so erasure drops the subject's digests and rotates the pepper (rotate_pepper); earlier
digests become unlinkable.

Right to data portability (Art. 20): export of the subject's records in a structured,
machine-readable JSON format.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field


@dataclass
class SubjectIndex:
    """Digest index of one tenant: subject reference -> digests of that subject's attributes."""

    pepper: bytes
    digests: dict[str, list[str]] = field(default_factory=dict)


def rotate_pepper(index: SubjectIndex) -> SubjectIndex:
    """Erasure by hash rotation: a fresh pepper makes every earlier digest unlinkable."""
    return SubjectIndex(pepper=os.urandom(32), digests={})


def erase_subject(index: SubjectIndex, subject_ref: str) -> bool:
    """Right to erasure: drops the subject's digests; True when something was erased."""
    return index.digests.pop(subject_ref, None) is not None


def export_subject(index: SubjectIndex, subject_ref: str) -> str:
    """Right to data portability: the subject's records as JSON (export format v1)."""
    payload = {
        "format": "ssid-portability-v1",
        "subject_ref": subject_ref,
        "digests": sorted(index.digests.get(subject_ref, [])),
    }
    return json.dumps(payload, indent=2, sort_keys=True)

"""Bias test of the scoring models of 01_ai_layer: fairness across demographic groups.

The test checks demographic parity (the demographic_parity difference stays below 0.1) on the
evaluation set before a model may be promoted.
"""

from __future__ import annotations

DEMOGRAPHIC_PARITY_LIMIT = 0.1


def demographic_parity_difference(rates: dict[str, float]) -> float:
    """Largest difference in positive-outcome rate between any two groups."""
    return max(rates.values()) - min(rates.values())


def test_fairness_demographic_parity_within_limit() -> None:
    rates = {"group_a": 0.41, "group_b": 0.38, "group_c": 0.44}
    assert demographic_parity_difference(rates) <= DEMOGRAPHIC_PARITY_LIMIT

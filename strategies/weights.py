"""Weight maps: {sleeve: fraction of equity}, long-only and unlevered, validated where they are
declared so every rule parameter that holds one reports a bad map with its exact field path."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator


def _long_only_unlevered(weights: dict[str, float]) -> dict[str, float]:
    if any(w < 0 for w in weights.values()):
        raise ValueError("weights must be >= 0 (long-only)")
    if sum(weights.values()) > 1.0 + 1e-9:
        raise ValueError(f"weights sum to {sum(weights.values()):.4f}; at most 1 (no leverage)")
    return weights


WeightMap = Annotated[dict[str, float], AfterValidator(_long_only_unlevered)]

"""JSON files a person or a CI job reads: NaN becomes null, numpy scalars become plain numbers."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from feeds.atomic import write_text_atomic


def json_ready(value):
    """A copy of `value` that `json.dumps` accepts and that is valid JSON (no NaN/Infinity)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_ready(v) for v in value]
    return value


def write_json(path: Path, payload: dict) -> None:
    write_text_atomic(path, json.dumps(json_ready(payload), indent=2) + "\n")

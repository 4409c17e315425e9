"""The base of every config model in liqbt: frozen, unknown keys rejected, numbers finite.

Each room defines the pydantic models of the config sections it consumes (feeds: data, universe,
quality; signals: signal specs; strategies: strategy specs; backtests: costs, execution, studies,
verdict; reports: report) on this base, so a misspelt key is an error everywhere and a validated
section cannot change after the edge has checked it. NaN and infinity are refused in every float
field (a `.nan` weight would otherwise run and report a strategy that held something else). It lives in the leftmost room so every room can
use it.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class ConfigModel(BaseModel):
    """A validated, immutable config section."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

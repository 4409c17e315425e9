"""The `data:` config section: where a run reads, which window, which vintage, which checks.

The universe (sleeve -> instrument) is `feeds.instruments.InstrumentField`; the quality policy is
`feeds.quality.QualityPolicy`. The application composes them into its run config.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from feeds.quality import QualityPolicy
from feeds.schema import ConfigModel


class DataSection(ConfigModel):
    snapshot: Path | None = Field(None, description="snapshot directory; else LIQBT_SNAPSHOT")
    start: date | None = Field(None, description="first backtest session (earlier data = warm-up)")
    end: date | None = Field(None, description="last session; default: latest common date")
    quality: QualityPolicy = Field(QualityPolicy(), description="data-quality checks on load")
    vintage: Literal["latest", "first_release"] = Field(
        "latest", description="FRED series as revised today, or as first published (ALFRED; "
        "needs FRED_API_KEY)")
    timeout_s: float | None = Field(None, gt=0, le=3600, description="seconds per online fetch; "
                                    "else --timeout / LIQBT_TIMEOUT / 30")

    @model_validator(mode="after")
    def _ordered(self) -> "DataSection":
        if self.start and self.end and self.end <= self.start:
            raise ValueError(f"end {self.end} is not after start {self.start}; set data.end later "
                             "than data.start (or leave it out for the latest date)")
        return self

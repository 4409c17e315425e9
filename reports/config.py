"""The `report:` config section: what the pages look like and how they are rendered."""

from __future__ import annotations

from pydantic import Field, model_validator

from backtests.config import moved_key_problem
from feeds.schema import ConfigModel


class ReportSection(ConfigModel):
    title: str | None = None
    tearsheets: bool = True
    workers: int | None = Field(None, ge=1, le=64, description="processes rendering tearsheets; "
                                "default min(2, CPU count); 1 = in the main process")

    @model_validator(mode="before")
    @classmethod
    def _migrated(cls, raw: object) -> object:
        moved_key_problem(raw, "risk_free_annual", "write it as the top-level section "
                          "`risk_free: {annual: RATE}` (or `risk_free: {sleeve: cash}` for T-bills)")
        return raw

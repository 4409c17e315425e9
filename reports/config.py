"""The `report:` config section: what the pages look like and how they are rendered."""

from __future__ import annotations

from pydantic import Field

from feeds.schema import ConfigModel


class ReportSection(ConfigModel):
    title: str | None = None
    tearsheets: bool = True
    risk_free_annual: float = Field(0.0, ge=-0.05, le=0.25, description="for Sharpe/Sortino")
    workers: int | None = Field(None, ge=1, le=64, description="processes rendering tearsheets; "
                                "default min(2, CPU count); 1 = in the main process")

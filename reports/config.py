"""The `report:` config section: what the pages look like and how they are rendered."""

from __future__ import annotations

from pydantic import Field

from backtests.config import moved_key
from feeds.schema import ConfigModel


class ReportSection(ConfigModel):
    title: str | None = None
    tearsheets: bool = True
    workers: int | None = Field(None, ge=1, le=64, description="processes rendering tearsheets; "
                                "default min(2, CPU count); 1 = in the main process")

    _moved = moved_key("risk_free_annual", "write it as the top-level section `risk_free: "
                       "{annual: RATE}` (or `risk_free: {sleeve: cash}` for T-bills)")

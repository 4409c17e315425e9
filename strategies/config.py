"""The `strategies:` config section: each entry is a named rule, its parameters and its schedule.

    strategies:
      - {name: sixty_forty, rule: fixed_weights, params: {weights: {equities: 0.6, treasuries: 0.4}}}
      - {name: gold, rule: gold, rebalance: monthly, benchmark: gold_base, params: {...}}

The parameters stay a mapping here; the application validates them against the rule's own model
(`strategies.get_rule(rule).params`) and reports the exact field path; `build_weights` validates
them again when it runs (a dict is accepted there too).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from feeds.schema import ConfigModel
from strategies.schedule import Rebalance

#: Strategy (and run) names: they become file names (tearsheets/<name>.html, weights/<name>.csv).
NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"


class StrategySection(ConfigModel):
    name: Annotated[str, Field(pattern=NAME_PATTERN)]
    rule: str = Field(description="registered rule")
    params: dict[str, Any] = Field(default_factory=dict)
    rebalance: Rebalance = "monthly"
    benchmark: str | None = Field(None, description="strategy or sleeve; default: top-level one")

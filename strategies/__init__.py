"""strategies — target weights decided at a session's close from signals known then.

A strategy is a registered rule + typed parameters + a rebalance schedule. Rules are vectorised over
parameter grids (strategies/grid.py) and evaluated on decision sessions only; `build_weights` gives
one strategy's target weights (sessions x sleeves, NaN where it does not trade).
Importing this package registers every built-in rule.
"""

from strategies import (  # noqa: F401  (registration side effect)
    benchmarks, gold, regime_allocator, rmp_scenarios, short_vol, small_tech, steepener,
)
from strategies.config import NAME_PATTERN, StrategySection
from strategies.context import StrategyContext
from strategies.registry import RULES, build_weight_grid, build_weights, get_rule, rule
from strategies.weight_grid import WeightGrid

__all__ = ["NAME_PATTERN", "RULES", "StrategyContext", "StrategySection", "WeightGrid",
           "build_weight_grid", "build_weights", "get_rule", "rule"]

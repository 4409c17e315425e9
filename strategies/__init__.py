"""strategies — target weights decided at a session's close from signals known then.

A strategy is a registered rule + typed parameters + a rebalance schedule. Rules return a
DataFrame (sessions x sleeves) of target weights, NaN on sessions where they do not trade.
Importing this package registers every built-in rule.
"""

from strategies import benchmarks, regime_allocator  # noqa: F401  (registration side effect)
from strategies.context import StrategyContext
from strategies.registry import RULES, build_weights, get_rule, rule

__all__ = ["RULES", "StrategyContext", "build_weights", "get_rule", "rule"]

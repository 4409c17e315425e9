"""The rule registry: name -> (vectorised weights function, typed parameter model).

A rule is `fn(decisions, p) -> ndarray (R, K, S)`: weights at each decision session for each of the
K parameter combinations. Rule parameter models declare which sleeves and signals they reference, so
the config layer can reject an unknown sleeve or signal with the exact field path before anything
runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from feeds.errors import InputError, shown
from feeds.schema import ConfigModel
from strategies.context import StrategyContext
from strategies.decisions import Decisions
from strategies.grid import ParamGrid, expand_grid, grid_of_combos
from strategies.schedule import Rebalance, rebalance_mask
from strategies.weight_grid import WeightGrid


class RuleParams(ConfigModel):
    """Base for rule parameters: frozen, unknown keys rejected."""

    def sleeves_referenced(self) -> set[str]:
        return set()

    def signals_referenced(self) -> set[str]:
        return set()


RuleFn = Callable[[Decisions, ParamGrid], np.ndarray]


@dataclass(frozen=True)
class RuleDef:
    name: str
    fn: RuleFn
    params: type[RuleParams]
    default_rebalance: Rebalance



RULES: dict[str, RuleDef] = {}


def rule(name: str, params: type[RuleParams], default_rebalance: Rebalance = "monthly"
         ) -> Callable[[RuleFn], RuleFn]:
    """Register `fn(decisions, params) -> weights (R, K, S)` under `name`."""

    def register(fn: RuleFn) -> RuleFn:
        if name in RULES:
            raise ValueError(f"rule '{name}' registered twice")
        RULES[name] = RuleDef(name, fn, params, default_rebalance)
        return fn

    return register


def get_rule(name: str) -> RuleDef:
    try:
        return RULES[name]
    except KeyError:
        raise InputError(f"unknown rule {shown(name)}: choose one of {', '.join(sorted(RULES))}") from None


def build_weight_grid(context: StrategyContext, rule_name: str,
                      params: RuleParams | Mapping[str, Any],
                      rebalance: Rebalance | None = None,
                      grid: Mapping[str, Sequence[Any]] | None = None,
                      combos: pd.DataFrame | None = None) -> WeightGrid:
    """Weights of rule `rule_name` for every combination of `grid` (K = 1 without a grid), or for
    the given `combos` rows instead (columns = numeric parameters; e.g. one chunk of a grid's
    `combos` table, so a streamed sweep builds a chunk at a time without re-expanding the grid).

    Constrain step: on each decision session every sleeve gets a weight (0 if the rule leaves it
    out); sleeves that are not tradable at the decision (not listed yet, or terminated) get 0 and
    their share stays in cash — a sleeve joins when its instrument exists, it is never back-filled.
    """
    definition = get_rule(rule_name)
    if combos is not None and grid is not None:
        raise ValueError("pass either grid or combos, not both")
    param_grid = (expand_grid(definition.params, params, grid) if combos is None
                  else grid_of_combos(definition.params, params, combos))
    schedule = rebalance or definition.default_rebalance
    idx = np.flatnonzero(rebalance_mask(context.sessions, schedule, context.start_position))
    decisions = Decisions(context, idx, param_grid.size)
    weights = np.asarray(definition.fn(decisions, param_grid), dtype=float)
    if weights.shape != decisions.shape:
        raise ValueError(f"rule '{rule_name}' returned shape {weights.shape}, "
                         f"expected {decisions.shape}")
    tradable = context.tradable().to_numpy()[idx]
    weights = np.where(tradable[:, None, :], np.nan_to_num(weights, nan=0.0), 0.0)
    _check_long_only(rule_name, weights)
    return WeightGrid(context.sessions, context.sleeves, idx, np.ascontiguousarray(
        weights.transpose(1, 0, 2)), param_grid.combos)


def build_weights(context: StrategyContext, rule_name: str, params: RuleParams | Mapping[str, Any],
                  rebalance: Rebalance | None = None) -> pd.DataFrame:
    """Target weights of one strategy (sessions x sleeves, NaN where it does not decide)."""
    return build_weight_grid(context, rule_name, params, rebalance).frame(0)


def _check_long_only(rule_name: str, weights: np.ndarray) -> None:
    """Rules are long-only and unlevered; a violation is a bug in the rule, not user input."""
    if (weights < -1e-12).any():
        raise ValueError(f"rule '{rule_name}' produced a negative weight")
    if (weights.sum(axis=-1) > 1 + 1e-9).any():
        raise ValueError(f"rule '{rule_name}' produced weights summing above 1")

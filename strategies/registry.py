"""The rule registry: name -> (weights function, typed parameter model).

Rule parameter models declare which sleeves and signals they reference so the config layer can
reject an unknown sleeve or signal with the exact field path before anything runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict

from feeds.errors import InputError
from strategies.context import StrategyContext
from strategies.schedule import Rebalance, rebalance_mask


class RuleParams(BaseModel):
    """Base for rule parameters: frozen, unknown keys rejected."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    def sleeves_referenced(self) -> set[str]:
        return set()

    def signals_referenced(self) -> set[str]:
        return set()


RuleFn = Callable[[StrategyContext, RuleParams], pd.DataFrame]


@dataclass(frozen=True)
class RuleDef:
    name: str
    fn: RuleFn
    params: type[RuleParams]

    @property
    def summary(self) -> str:
        doc = (self.fn.__doc__ or "").strip()
        return doc.splitlines()[0] if doc else ""


RULES: dict[str, RuleDef] = {}


def rule(name: str, params: type[RuleParams]) -> Callable[[RuleFn], RuleFn]:
    """Register `fn(context, params) -> target weights (sessions x sleeves)` under `name`."""

    def register(fn: RuleFn) -> RuleFn:
        if name in RULES:
            raise ValueError(f"rule '{name}' registered twice")
        RULES[name] = RuleDef(name, fn, params)
        return fn

    return register


def get_rule(name: str) -> RuleDef:
    try:
        return RULES[name]
    except KeyError:
        raise InputError(f"unknown rule '{name}': choose one of {', '.join(sorted(RULES))}") from None


def build_weights(context: StrategyContext, rule_name: str, params: RuleParams | dict,
                  rebalance: Rebalance) -> pd.DataFrame:
    """Target weights of one strategy: the rule's weights kept on decision sessions only.

    On a decision session every sleeve gets a weight (a sleeve the rule leaves out gets 0). Sleeves
    without a known price at a decision are set to 0 and their share stays in cash: a sleeve joins
    when its instrument exists, it is never back-filled.
    """
    definition = get_rule(rule_name)
    if not isinstance(params, RuleParams):
        params = definition.params.model_validate(params)
    weights = definition.fn(context, params).reindex(index=context.sessions,
                                                     columns=context.sleeves)
    decide = rebalance_mask(context.sessions, rebalance, context.start_position)
    weights = weights.fillna(0.0).where(context.available(), 0.0)
    weights.loc[~decide] = np.nan
    return weights

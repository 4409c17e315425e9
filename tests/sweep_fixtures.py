"""A small real-data sweep shared by the sweep and sweep-page tests (imported by the conftest of
tests/backtests and tests/reports): the gold rule on SPY/GLD/IEF, 2012-2018, a 3 x 3 x 2 grid,
chunks of 5 (four chunks, the last one short), a walk-forward."""

from __future__ import annotations

from pathlib import Path

import pytest

SWEEP_CONFIG = """\
name: small_sweep
data: {start: 2012-01-03, end: 2018-12-31}
universe: {equities: SPY, gold: GLD, treasuries: IEF}
signals:
  stance: {fn: policy_stance}
  net_liquidity_z: {fn: net_liquidity_z, params: {weeks: 4, z_weeks: 52}}
strategies:
  - name: gold
    rule: gold
    params:
      gold_sleeve: gold
      stance_signal: stance
      liquidity_signal: net_liquidity_z
      rest: {equities: 0.6, treasuries: 0.4}
costs: {fees_bps: 5, slippage_bps: 2}
sweep:
  strategy: gold
  grid: {base_weight: [0.0, 0.1, 0.2], overweight: [0.2, 0.4, 0.6], rising_above: [-0.5, 0.5]}
  metric: sharpe
  constraints: {max_drawdown_above: -0.15}
  chunk: 5
  pbo_splits: 8
  parity_samples: 3
walk_forward: {train: 504, test: 126, embargo: 5}
"""


def write_config(folder: Path, text: str = SWEEP_CONFIG, name: str = "sweep.yaml") -> Path:
    path = folder / name
    path.write_text(text)
    return path


@pytest.fixture(scope="session")
def sweep_config_path(tmp_path_factory) -> Path:
    return write_config(tmp_path_factory.mktemp("sweep_config"))


@pytest.fixture(scope="session")
def sweep_inputs(sweep_config_path, snapshot):
    """(sweep spec, panel, signals) of the small sweep, built once."""
    from liqbt.config import load_config
    from liqbt.run import build_panel, compute_configured_signals, sweep_spec

    config = load_config(sweep_config_path)
    panel = build_panel(config, snapshot)
    return sweep_spec(config), panel, compute_configured_signals(config, panel)


@pytest.fixture(scope="session")
def small_sweep(sweep_inputs, tmp_path_factory):
    """The small sweep run once, uninterrupted, on the local engine."""
    from backtests.sweep import prepare_sweep, run_configured_sweep

    out = tmp_path_factory.mktemp("small_sweep")
    return run_configured_sweep(prepare_sweep(*sweep_inputs), out)

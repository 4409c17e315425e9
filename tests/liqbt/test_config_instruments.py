"""Instrument and data-quality config: every kind validates, mistakes are one line each, the
commented example config runs from the snapshot."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from liqbt.config import ConfigError, load_config
from liqbt.run import run_backtest
from feeds.instruments import (
    ChainInstrument, EtfSteepenerInstrument, InverseInstrument, TBillInstrument, TickerInstrument,
    YieldSteepenerInstrument,
)

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "liqbt" / "configs" / "instruments_example.yaml"
BASE = """\
name: t
data: {data}
universe:
  equities: SPY
  other: {sleeve}
strategies:
  - {{name: spy, rule: buy_and_hold, rebalance: once, params: {{sleeve: equities}}}}
"""


def lines(tmp_path: Path, sleeve: str = "GLD", data: str = "{}") -> list[str]:
    path = tmp_path / "c.yaml"
    path.write_text(BASE.format(sleeve=sleeve, data=data))
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return caught.value.lines


def test_example_config_has_every_instrument_kind_and_reports_the_data_it_needs():
    config = load_config(EXAMPLE)
    kinds = {type(instrument) for instrument in config.universe.values()}
    assert kinds == {TickerInstrument, InverseInstrument, EtfSteepenerInstrument,
                     YieldSteepenerInstrument, TBillInstrument, ChainInstrument}
    tickers = sorted({t for i in config.universe.values() for t in i.tickers()})
    series = sorted({s for i in config.universe.values() for s in i.series_ids()})
    assert tickers == ["GLD", "IEF", "SHY", "SPY", "SVXY", "VIXY"]
    assert series == ["DGS10", "DGS2", "DTB3"]
    assert config.data.quality.checks == {"non_positive": "fail"}


def test_example_config_runs_from_the_snapshot(snapshot):
    result = run_backtest(load_config(EXAMPLE), snapshot)
    panel = result.panel
    assert panel.sessions[-1] == pd.Timestamp("2026-07-13")        # run not ended by short_vol
    assert panel.sleeve_closures() == {
        "short_vol": {"date": "2018-02-05",
                      "reason": "terminated after losing 96.1% in one session"},
        "short_vol_chain": {"gaps": [{"date": "2018-02-05", "until": "2018-02-28",
                                      "reason": "terminated after losing 96.1% in one session"}]}}
    assert not panel.sleeve_tradable.loc["2018-02-05":, "short_vol"].any()
    assert panel.sleeve_tradable.loc[:"2018-02-27", "short_vol_listed"].sum() == 0
    assert panel.sleeve_prices["steepener_2s10s"].notna().all()
    assert [(i.id, i.check, i.action) for i in panel.quality_issues] == [("IEF", "weekend", "warn")]
    assert set(result.summary) == {"claims_mix", "short_vol_hold", "bills", "spy_buy_hold"}


def test_not_an_instrument_lists_the_forms(tmp_path):
    (line,) = lines(tmp_path, "{tickr: GLD}")
    assert ":5: universe.other: not an instrument; use a ticker (GLD or {ticker: GLD" in line
    (line,) = lines(tmp_path, "{steepener: butterfly}")
    assert "universe.other: not an instrument" in line


def test_unknown_key_inside_an_instrument_names_that_instruments_keys(tmp_path):
    (line,) = lines(tmp_path, "{ticker: GLD, sinc: 2020-01-01}")
    assert ("universe.other.sinc: unknown key 'sinc'; allowed keys here: ticker, since, until"
            in line)
    (line,) = lines(tmp_path, "{inverse_of: VIXY, expense: 95}")
    assert "universe.other.expense: unknown key 'expense'; allowed keys here: inverse_of, " \
           "leverage, expense_bps" in line


def test_instrument_parameter_problems_point_at_the_sleeve(tmp_path):
    (line,) = lines(tmp_path, "{inverse_of: VIXY, leverage: 2}")
    assert "universe.other.leverage: Input should be less than or equal to -0.1" in line
    (line,) = lines(tmp_path, "{tbill: WALCL}")
    assert "universe.other: series WALCL is in USD millions, not a yield in percent" in line
    (line,) = lines(tmp_path, "{steepener: yields, front: DGS10, back: DGS2, front_years: 10, "
                              "back_years: 2}")
    assert "universe.other: front_years 10.0 must be below back_years 2.0" in line


def test_quality_off_in_yaml_means_off(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text(BASE.format(sleeve="GLD", data="{quality: {checks: {jump: off}, overrides: "
                                                   "{GLD: {on_issue: off}}}}"))
    quality = load_config(path).data.quality
    assert quality.action("jump", "SPY") == "off" and quality.action("gap", "GLD") == "off"


def test_quality_section_is_validated(tmp_path):
    (line,) = lines(tmp_path, data="{quality: {on_issue: loud}}")
    assert "data.quality.on_issue: Input should be 'warn' or 'fail'" in line
    (line,) = lines(tmp_path, data="{quality: {checks: {spikes: warn}}}")
    assert "data.quality.checks.spikes.[key]: Input should be 'duplicated_dates'" in line
    (line,) = lines(tmp_path, data="{quality: {max_gap: 5}}")
    assert "unknown key 'max_gap'; allowed keys here: on_issue, checks, max_gap_days" in line

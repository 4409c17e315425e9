"""Tickers: since/until, known breaks refused, no back-fill, closed sleeves don't end the run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from liqbt.config import ConfigError, load_config
from feeds.errors import DataError
from feeds.instruments import KNOWN_BREAKS, TickerInstrument, break_problem
from feeds.panel import PointInTimePanel
from feeds.snapshot import SnapshotSource
from tests.fakes import MemorySource, business_days

REPO = Path(__file__).resolve().parents[2]
CONFIG = """\
name: t
universe:
  equities: SPY
  short_vol: {sleeve}
strategies:
  - {{name: spy, rule: buy_and_hold, rebalance: once, params: {{sleeve: equities}}}}
"""


def _config_lines(tmp_path: Path, sleeve: str) -> list[str]:
    path = tmp_path / "c.yaml"
    path.write_text(CONFIG.format(sleeve=sleeve))
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return caught.value.lines


def test_svxy_across_its_2018_break_is_refused_with_one_line_naming_the_fixes(tmp_path):
    (line,) = _config_lines(tmp_path, "SVXY")
    assert line.startswith(f"{tmp_path / 'c.yaml'}:4: universe.short_vol: ticker SVXY changed "
                           "from -1x to -0.5x")
    assert "since: 2018-02-28" in line and "until: 2018-02-27" in line
    assert "inverse_of: VIXY" in line


def test_uvxy_and_an_inverse_of_uvxy_across_the_break_are_refused(tmp_path):
    (line,) = _config_lines(tmp_path, "{ticker: UVXY, since: 2015-01-02}")
    assert "ticker UVXY changed from 2x to 1.5x" in line
    (line,) = _config_lines(tmp_path, "{inverse_of: UVXY}")
    assert "inverse_of UVXY changed from 2x to 1.5x" in line


def test_either_side_of_the_break_is_accepted(tmp_path):
    for sleeve in ("{ticker: SVXY, since: 2018-02-28}", "{ticker: SVXY, until: 2018-02-27}",
                   "{ticker: SVXY, since: 2012-01-03, until: 2017-12-29}"):
        path = tmp_path / "c.yaml"
        path.write_text(CONFIG.format(sleeve=sleeve))
        assert load_config(path).universe["short_vol"].ticker == "SVXY"


def test_break_table_is_the_documented_one():
    assert KNOWN_BREAKS["SVXY"].last_old.isoformat() == "2018-02-27"
    assert KNOWN_BREAKS["SVXY"].first_new.isoformat() == "2018-02-28"
    assert break_problem("svxy") is not None and break_problem("SPY") is None


def test_cli_validate_prints_the_break_on_one_line_and_exits_2(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text(CONFIG.format(sleeve="SVXY"))
    done = subprocess.run([sys.executable, "-m", "liqbt", "validate", str(path)],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "since: 2018-02-28" in done.stderr


def test_since_until_order_is_checked():
    with pytest.raises(ValidationError, match="is not after since"):
        TickerInstrument(ticker="SPY", since="2020-01-01", until="2019-01-01")


def test_since_and_until_restrict_the_history():
    dates = business_days("2020-01-06", 10)
    source = MemorySource(prices={"X": pd.Series(np.arange(10.0) + 1, index=dates)})
    path = TickerInstrument(ticker="X", since=dates[2].date(), until=dates[6].date()).build(source)
    assert path.prices.index[0] == dates[2] and path.prices.index[-1] == dates[6]
    assert path.closed_on == dates[6]
    open_ended = TickerInstrument(ticker="X", until="2030-01-01").build(source)
    assert open_ended.closed_on is None  # the data ends before `until`: a data end, not a closure


def test_until_closes_the_sleeve_without_ending_the_run():
    dates = business_days("2020-01-06", 12)
    source = MemorySource(prices={"X": pd.Series(np.arange(12.0) + 1, index=dates),
                                  "SPY": pd.Series(300.0 + np.arange(12.0), index=dates)})
    panel = PointInTimePanel(source, {
        "equities": TickerInstrument(ticker="SPY"),
        "x_old": TickerInstrument(ticker="X", until=dates[5].date()),
        "x_new": TickerInstrument(ticker="X", since=dates[6].date())})
    assert panel.sessions[-1] == dates[-1]
    assert (panel.sleeve_prices["x_old"].iloc[5:] == 6.0).all()
    assert panel.sleeve_tradable["x_old"].tolist() == [True] * 5 + [False] * 7
    assert panel.sleeve_prices["x_new"].iloc[:6].isna().all()
    assert panel.sleeve_tradable["x_new"].tolist() == [False] * 6 + [True] * 6


def test_ticker_tradable_from_its_first_price_and_never_back_filled():
    dates = business_days("2020-01-06", 8)
    source = MemorySource(prices={"OLD": pd.Series(1.0, index=dates),
                                  "NEW": pd.Series([5.0, np.nan, 6.0], index=dates[3:6])})
    panel = PointInTimePanel(source, {"old": TickerInstrument(ticker="OLD"),
                                      "new": TickerInstrument(ticker="NEW")})
    assert panel.sessions[-1] == dates[5]
    assert panel.sleeve_prices["new"].iloc[:3].isna().all()
    assert panel.sleeve_prices["new"].iloc[4] == 5.0  # a gap inside its life carries the close
    assert panel.sleeve_tradable["new"].tolist() == [False, False, False, True, True, True]


def test_empty_range_names_the_sleeve_and_the_data_span():
    source = MemorySource(prices={"X": pd.Series(1.0, index=business_days("2020-01-06", 5)),
                                  "SPY": pd.Series(1.0, index=business_days("2020-01-06", 5))})
    with pytest.raises(DataError, match=r"universe.x: ticker X has no prices .* covers "
                                        r"2020-01-06..2020-01-10"):
        PointInTimePanel(source, {"spy": TickerInstrument(ticker="SPY"),
                                  "x": TickerInstrument(ticker="X", since="2021-01-04")})


def test_real_svxy_after_the_break_starts_on_2018_02_28(snapshot):
    path = TickerInstrument(ticker="SVXY", since="2018-02-28").build(SnapshotSource(snapshot))
    assert path.prices.index[0] == pd.Timestamp("2018-02-28") and path.closed_on is None

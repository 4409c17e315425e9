"""The panel: sessions, sleeve prices that are never back-filled, truncation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from feeds.errors import DataError, InputError
from feeds.instruments import TickerInstrument
from feeds.panel import PointInTimePanel
from feeds.snapshot import SnapshotSource, sha256_of
from tests.fakes import MemorySource, business_days


def test_late_sleeve_is_nan_before_it_exists_and_run_ends_at_common_last_date():
    sessions = business_days("2020-01-01", 30)
    source = MemorySource(prices={"OLD": pd.Series(np.linspace(10, 20, 30), index=sessions),
                                  "NEW": pd.Series(5.0, index=sessions[10:25])})
    panel = PointInTimePanel(source, {"old": TickerInstrument(ticker="OLD"),
                                      "new": TickerInstrument(ticker="NEW")})
    assert panel.sessions[-1] == sessions[24]
    assert panel.sleeve_prices["new"].iloc[:10].isna().all()
    assert panel.sleeve_prices["new"].iloc[10:].notna().all()


def test_truncated_panel_sees_nothing_stamped_after_the_cutoff(real_panel):
    cut = real_panel.truncated("2019-09-18")
    assert cut.sessions[-1] == pd.Timestamp("2019-09-18")
    assert cut.observations("SOFR").index[-1] <= pd.Timestamp("2019-09-18")
    full_value = real_panel.series("SOFR").loc["2019-09-18"]
    assert cut.series("SOFR").loc["2019-09-18"] == full_value


def test_missing_snapshot_and_missing_series_name_themselves(tmp_path, snapshot):
    with pytest.raises(InputError, match="does not exist"):
        SnapshotSource(tmp_path / "nope")
    source = SnapshotSource(snapshot)
    with pytest.raises(DataError, match=r"ticker 'NOPE' is not in snapshot .*liqbt fetch --tickers NOPE"):
        source.prices("NOPE")


def test_snapshot_records_every_file_it_read_with_checksum(snapshot):
    source = SnapshotSource(snapshot)
    source.prices("SPY")
    (record,) = source.files_used()
    assert record.path in ("prices/SPY.csv", "prices/SPY.parquet")
    assert record.sha256 == sha256_of(snapshot / record.path)
    assert (record.first, record.rows) == ("1993-01-29", 8448)


def test_duplicated_dates_follow_the_quality_policy(tmp_path):
    """The snapshot reader hands rows over as they are; the run's data-quality policy decides:
    `warn` keeps the last row of a date, `fail` stops with the date."""
    from feeds.quality import CheckedSource, QualityPolicy

    (tmp_path / "prices").mkdir()
    (tmp_path / "prices" / "X.csv").write_text(
        "date,open,high,low,close,adj_close,volume\n2020-01-02,1,1,1,1,1,1\n"
        "2020-01-02,2,2,2,2,2,2\n2020-01-03,3,3,3,3,3,3\n")
    kept = CheckedSource(SnapshotSource(tmp_path), QualityPolicy()).prices("X")
    assert kept.tolist() == [2.0, 3.0]
    strict = CheckedSource(SnapshotSource(tmp_path), QualityPolicy(on_issue="fail"))
    with pytest.raises(DataError, match="duplicated date"):
        strict.prices("X")


@pytest.mark.parametrize("text, message", [
    ("date,value\n2020-01-02,1\nnot-a-date,2\n", "line 3: date .not-a-date. is not an existing date"),
    ("date,WALCL\n2020-01-02,1\n", "no 'value' column; the layout is date,value")])
def test_malformed_snapshot_files_are_one_line_data_errors(tmp_path, text, message):
    from feeds.catalog import spec_for

    (tmp_path / "fred").mkdir()
    (tmp_path / "fred" / "WALCL.csv").write_text(text)
    with pytest.raises(DataError, match=message):
        SnapshotSource(tmp_path).observations(spec_for("WALCL"))


def test_take_up_gaps_are_zero_only_when_known_at_the_cutoff(real_panel):
    """RPONTSYD omits days without operations. A gap day reads 0 at its own close (no operation
    was published that day), not only once a later row shows up."""
    full = real_panel.series("RPONTSYD")
    for day in ["2019-07-01", "2019-09-16", "2019-09-17", "2020-03-16", "2024-12-31"]:
        cut = real_panel.truncated(day).series("RPONTSYD")
        assert cut.loc[day] == full.loc[day], day


def test_every_instrument_kind_is_built_from_data_known_at_the_cutoff(snapshot):
    """Each sleeve's price and tradability at t from data cut at t equal those from the full
    history: the truncated panel builds its instruments from cut inputs, so this can fail."""
    from liqbt.config import RunConfig

    universe = {"spy": "SPY", "svxy": {"ticker": "SVXY", "since": "2018-02-28"},
                "short_vol": {"inverse_of": "VIXY"}, "etf_steep": {"steepener": "etf"},
                "yield_steep": {"steepener": "yields"}, "cash": {"tbill": "DTB3"}}
    config = RunConfig.model_validate({"name": "t", "universe": universe, "strategies": [
        {"name": "s", "rule": "buy_and_hold", "params": {"sleeve": "spy"}}]})
    panel = PointInTimePanel(SnapshotSource(snapshot), config.universe,
                             start=pd.Timestamp("2017-01-03"))
    for day in ["2018-02-02", "2018-02-05", "2018-02-06", "2018-02-28", "2020-03-16",
                "2025-12-31", "2026-07-13"]:
        cut = panel.truncated(day)
        assert np.allclose(cut.sleeve_prices.loc[day], panel.sleeve_prices.loc[day],
                           rtol=1e-12, equal_nan=True), day
        assert cut.sleeve_tradable.loc[day].equals(panel.sleeve_tradable.loc[day]), day


def test_rules_see_a_yield_built_price_only_once_its_yields_are_published(snapshot):
    """The yield steepener's close of t uses DGS2/DGS10 of t, in the H.15 of t+1 (~16:15 ET): the
    P&L is booked at that close, but a rule reading prices at t's close sees t-2's price."""
    from liqbt.config import RunConfig

    config = RunConfig.model_validate({"name": "t", "universe": {
        "spy": "SPY", "steep": {"steepener": "yields"}}, "strategies": [
        {"name": "s", "rule": "buy_and_hold", "params": {"sleeve": "spy"}}]})
    panel = PointInTimePanel(SnapshotSource(snapshot), config.universe,
                             start=pd.Timestamp("2020-01-02"))
    known, true = panel.decision_prices, panel.sleeve_prices
    assert known["steep"].iloc[2:].equals(true["steep"].shift(2).iloc[2:])
    assert known["spy"].equals(true["spy"])

"""One way to write a number on every page: percent with two decimals in tables, ratios with two,
spreads in bp, money in USD bn, an en dash for what is missing."""

from __future__ import annotations

import math

from reports import formats


def test_percent_ratio_spread_money():
    assert formats.percent(0.123456) == "12.35%" and formats.percent(0.123456, 1) == "12.3%"
    assert formats.signed_percent(0.0123) == "+1.2%" and formats.signed_percent(-0.4) == "-40.0%"
    assert formats.number(0.8532) == "0.85"
    assert formats.bp(12.46) == "+12.5 bp" and formats.bp(-3) == "-3.0 bp"
    assert formats.usd_bn(3215.44) == "USD 3,215.4 bn"
    assert formats.pace(40) == "+40 bn/month" and formats.pace(-95) == "-95 bn/month"
    assert formats.grid_value(0.25) == "0.25" and formats.grid_value(3.0) == "3"


def test_missing_is_a_dash_everywhere():
    for write in (formats.percent, formats.signed_percent, formats.number, formats.bp,
                  formats.usd_bn, formats.pace, formats.grid_value):
        assert write(None) == write(math.nan) == "–"


def test_summary_metrics_by_kind():
    assert formats.metric("max_drawdown", -0.2561) == "-25.61%"
    assert formats.metric("sharpe", 0.894) == "0.89" and formats.metric("turnover", 4.68) == "4.68"


def test_signal_units_come_from_the_registered_name():
    assert formats.signal_unit("sofr_iorb_bp").format(-2.04) == "-2.0 bp"
    assert formats.signal_unit("reserves_level_usd_bn").format(3120.0) == "USD 3,120.0 bn"
    assert formats.signal_unit("pace_in_effect").format(10.0) == "+10 bn/month"
    assert formats.signal_unit("repo_stress_flag").format(0.0) == "no"
    assert formats.signal_unit("days_since_announcement").format(1588.0) == "1,588"
    assert formats.signal_unit("net_liquidity_z").format(0.7412) == "0.74"
    assert formats.signal_unit("liquidity_regime").format("expanding") == "expanding"


def test_ratios_of_a_strategy_that_is_the_risk_free_itself_are_marked_on_the_index_and_summary():
    """T-bills measured in excess of T-bills: a cost of 5 bp on entry over a volatility of 0.01%
    a year makes a 'Sharpe' of -0.23 that must not read as a risk-adjusted loss."""
    from types import SimpleNamespace

    from reports.index_page import summary_rows
    from reports.run_summary import strategies_section
    from tests.reports.synthetic_run import synthetic_result

    assert formats.near_riskless({"volatility": 0.0001})
    assert not formats.near_riskless({"volatility": 0.12})
    assert not formats.near_riskless({"volatility": None})
    result = synthetic_result()
    calm = {**result.summary["hold"], "volatility": 0.0001, "sharpe": -0.23}
    plain = strategies_section(SimpleNamespace(result=result), {})
    assert "†" not in plain and "†" not in "".join(summary_rows(result, {}))
    result.summary["hold"] = calm                       # "hold" now behaves like T-bills
    rows = {row.split("</td>")[0]: row for row in summary_rows(result, {})}
    bills = next(row for key, row in rows.items() if key.endswith(">hold"))
    assert "-0.23†" in bills and bills.count("†") == 3          # Sharpe, Sortino, Calmar
    assert all("†" not in row for key, row in rows.items() if not key.endswith(">hold"))
    markdown = strategies_section(SimpleNamespace(result=result), {})
    assert "| -0.23† |" in markdown and markdown.rstrip().endswith(formats.NEAR_RISKLESS_NOTE + ".")

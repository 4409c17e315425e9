"""Tracing what a config reads (liqbt.data_needs): a panel on stand-in data, which says
nothing of its own."""

from __future__ import annotations

import logging


def test_tracing_a_configs_inputs_says_no_window_note(caplog, tmp_path):
    """The data-needs trace builds a panel on stand-in data: its notes were said on stderr
    before the run's own (each warning twice)."""
    from liqbt.config import load_config
    from liqbt.data_needs import config_inputs

    config = tmp_path / "c.yaml"
    config.write_text("name: c\ndata: {start: 2016-01-04, end: 2019-12-31}\nuniverse: {equities: "
                      "SPY, later: {ticker: SVXY, since: 2018-02-28}}\nstrategies:\n  - {name: h, "
                      "rule: buy_and_hold, rebalance: once, params: {sleeve: equities}}\n")
    caplog.set_level(logging.WARNING, logger="liqbt.window")
    config_inputs(load_config(config))
    assert [r.getMessage() for r in caplog.records if r.name == "liqbt.window"] == []

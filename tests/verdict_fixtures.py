"""The article run with its verdict, computed once per test session (import the fixture into a
test module to use it): the verdict tests and the verdict page's browser check read the same run."""

from __future__ import annotations

from pathlib import Path

import pytest

ARTICLE = Path(__file__).resolve().parents[1] / "liqbt" / "configs" / "article.yaml"


@pytest.fixture(scope="session")
def article_verdict_run(snapshot):
    from liqbt.config import load_config
    from liqbt.run import run_backtest

    run = run_backtest(load_config(ARTICLE), snapshot)
    run.verdict_rows()
    return run

"""Tearsheets render in worker processes, one per strategy; a failure names its strategy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from reports.tearsheet_pool import TearsheetJob, TearsheetWorkers, default_workers

MANIFEST = {"config_name": "pool-test", "config_sha256": "0" * 64,
            "sessions": {"first": "2020-01-01", "last": "2021-12-31"}}


def _returns(seed: int, name: str) -> pd.Series:
    rng = np.random.default_rng(seed)
    return pd.Series(rng.normal(0.0004, 0.01, 500), index=pd.bdate_range("2020-01-01", periods=500),
                     name=name)


def _jobs(out) -> list[TearsheetJob]:
    bench = _returns(0, "bench")
    return [TearsheetJob("alpha", _returns(1, "alpha"), bench, "bench", out / "alpha.html",
                         MANIFEST),
            TearsheetJob("beta", _returns(2, "beta"), None, None, out / "beta.html", MANIFEST)]


def test_two_workers_render_every_page_with_the_manifest(tmp_path):
    messages: list[str] = []
    with TearsheetWorkers(2) as workers:
        assert workers.workers == 2
        written = workers.render(_jobs(tmp_path), messages.append)
    assert list(written) == ["alpha", "beta"]
    for name, path in written.items():
        text = path.read_text(encoding="utf-8")
        assert 'id="liqbt-manifest"' in text and "pool-test" in text
        assert "qtpylib.io" not in text and 'onload="save()"' not in text
    assert "<th>bench</th>" in written["alpha"].read_text()
    assert "<th>bench</th>" not in written["beta"].read_text()  # no benchmark: none shown
    assert sorted(messages) == ["tearsheet alpha (1/2)", "tearsheet beta (2/2)"] or \
        sorted(messages) == ["tearsheet alpha (2/2)", "tearsheet beta (1/2)"]


def test_one_worker_renders_in_process(tmp_path):
    with TearsheetWorkers(1) as workers:
        written = workers.render(_jobs(tmp_path)[:1])
    assert written["alpha"].is_file()


def test_a_failed_tearsheet_names_its_strategy(tmp_path):
    (tmp_path / "blocked").write_text("a file where a folder should be")
    job = TearsheetJob("gamma", _returns(3, "gamma"), None, None,
                       tmp_path / "blocked" / "gamma.html", MANIFEST)
    with TearsheetWorkers(2) as workers, pytest.raises(RuntimeError, match="tearsheet gamma: "):
        workers.render([job])


def test_default_is_at_most_two_workers():
    assert 1 <= default_workers() <= 2

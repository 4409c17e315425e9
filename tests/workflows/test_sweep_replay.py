"""`.github/workflows/sweep.yml` replayed on this machine (tests/workflow_replay.py): its plan
job's command, each shard job's command in its own folder and process (in parallel, as separate
runners), the shard artifacts gathered as download-artifact does, and the merge job's
merge-gate-summary step. The commands are the workflow's own, so a broken workflow fails here.

The config is the small sweep with a gate it fails: the merged outputs equal the unsharded sweep
(sweep.csv byte for byte), the merge step exits 3 after writing everything, its job summary is
sweep_summary.md, and the sweep artifact is still uploaded."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from tests.backtests.sweep.test_runner import OUTPUT_FILES
from tests.sweep_fixtures import SWEEP_CONFIG, write_config
from tests.workflow_replay import WorkflowReplay, step_summaries

REPO = Path(__file__).resolve().parents[2]
GATED = SWEEP_CONFIG.replace("  parity_samples: 3\n", "  parity_samples: 3\n  gates: "
                             "{deflated_sharpe_min: 0.95, pbo_max: 0.5, oos_sharpe_min: 0.5}\n")
RESULT_FACTS = ("gates", "shards")


def test_sweep_workflow_replayed_locally_equals_an_unsharded_sweep(small_sweep, snapshot,
                                                                   tmp_path):
    from backtests.sweep.store import RUN_FACT_KEYS

    assert GATED != SWEEP_CONFIG
    config = write_config(tmp_path, GATED, "gated.yaml")
    runner_env = {**{k: v for k, v in os.environ.items() if "proxy" in k.lower()},
                  "PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "MPLBACKEND": "Agg",
                  "LIQBT_SNAPSHOT": str(snapshot)}
    replay = WorkflowReplay(REPO / ".github" / "workflows" / "sweep.yml", tmp_path / "runners",
                            {"config": str(config), "shards": 2}, runner_env,
                            Path(sys.executable).parent)
    jobs = replay.run()

    (plan,) = jobs["plan"]
    assert plan.result == "success", [(s.name, s.stderr) for s in plan.steps]
    matrix = json.loads(plan.outputs["matrix"])
    assert [leg["shard"] for leg in matrix["include"]] == ["1/2", "2/2"]
    assert sum(leg["combos"] for leg in matrix["include"]) == 18
    shards = jobs["shard"]
    assert [leg.name for leg in shards] == ["shard 1/2", "shard 2/2"]
    assert all(leg.result == "success" for leg in shards), [
        (s.name, s.stderr[-500:]) for leg in shards for s in leg.steps]
    assert len({leg.workspace for leg in shards}) == 2
    assert sorted(replay.artifacts) == ["sweep", "sweep-shard-1", "sweep-shard-2"]

    (merge,) = jobs["merge"]
    step = merge.step("Merge the shards")
    assert merge.result == "failure" and step.returncode == 3, step.stderr[-2000:]
    assert step.stderr.strip().splitlines()[-1] == (
        "liqbt: gate failed: deflated_sharpe_min: deflated_sharpe 0.919339, minimum 0.95")
    out = merge.workspace / "sweep"
    for name in OUTPUT_FILES:
        assert (out / name).read_bytes() == (small_sweep.out_dir / name).read_bytes(), name
    merged = json.loads((out / "sweep_summary.json").read_text())
    unsharded = json.loads((small_sweep.out_dir / "sweep_summary.json").read_text())
    skip = (*RUN_FACT_KEYS, *RESULT_FACTS)
    assert ({k: v for k, v in merged.items() if k not in skip}
            == {k: v for k, v in unsharded.items() if k not in skip})
    assert merged["shards"]["count"] == 2 and merged["gates"]["passed"] is False

    markdown = (out / "sweep_summary.md").read_text()
    assert step.summary.strip() == markdown.strip() == step_summaries([merge]).strip()
    assert "**Gates: ❌ 1 of 3 failed** (`deflated_sharpe_min`)." in markdown
    assert "| `pbo_max` | 0.029 | ≤ 0.5 | ✅ passed |" in markdown

    uploaded = replay.artifacts["sweep"]
    assert {"sweep.html", "sweep_summary.md", "sweep.csv"} <= {p.name for p in uploaded.iterdir()}
    assert not (uploaded / "checkpoint").exists()
    assert merge.step("This summary is the next baseline").outcome == "skipped"

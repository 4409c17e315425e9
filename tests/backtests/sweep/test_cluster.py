"""Sweeps on a real dask.distributed cluster: `dask scheduler` and two `dask worker` processes
that cannot see the snapshot (tests/dask_cluster.py). A sweep sent to the scheduler's address
writes the same files as the local engine; a worker SIGKILLed while it holds chunks does not
change a byte; the last worker dying, or an unreachable scheduler, is one line within the
timeouts. (`liqbt sweep --scheduler` / DASK_SCHEDULER_ADDRESS reaching `connect`:
tests/liqbt/cli/test_sweep.py.)"""

from __future__ import annotations

import os
import re
import time
from dataclasses import replace

import pytest

from backtests.sweep import prepare_sweep, run_configured_sweep
from backtests.sweep.cluster import SweepClusterError, connect
from feeds.errors import InputError
from tests.backtests.sweep.test_runner import OUTPUT_FILES, results_of
from tests.dask_cluster import DaskCluster


def _slow_chunks(sweep_inputs):
    """The small sweep rebalanced daily over a 1,200-combination grid, chunks of 300 (~0.1 s each
    here), so a worker can be killed while it computes; no walk-forward, a small PBO sample."""
    spec, panel, signals = sweep_inputs
    grid = {"base_weight": [round(0.03 * i, 2) for i in range(10)],
            "overweight": [round(0.4 + 0.05 * i, 2) for i in range(10)],
            "rising_above": [round(-1 + 0.2 * i, 1) for i in range(12)]}
    sweep = spec.sweep.model_copy(update={"grid": grid, "chunk": 300, "pbo_max_combos": 20,
                                          "parity_samples": 0, "cluster_timeout_s": 120})
    strategy = spec.strategy.model_copy(update={"rebalance": "daily"})
    return prepare_sweep(replace(spec, sweep=sweep, strategy=strategy, walk_forward=None), panel,
                         signals)


def test_sweep_on_a_real_cluster_equals_the_local_one_even_when_a_worker_dies(
        small_sweep, sweep_inputs, snapshot, tmp_path):
    from distributed import Client

    setup, small_setup = _slow_chunks(sweep_inputs), prepare_sweep(*sweep_inputs)
    with DaskCluster(tmp_path / "cluster", hidden=[snapshot]) as cluster:
        local = run_configured_sweep(setup, tmp_path / "local")   # while the workers start
        observer = Client(cluster.address, timeout="30s", set_as_default=False)
        try:
            observer.wait_for_workers(2, timeout=60)
            # what the workers see (builtins only: they cannot import this test module)
            assert sorted(observer.run(os.getcwd).values()) == [
                str(tmp_path / "cluster" / "w0"), str(tmp_path / "cluster" / "w1")]
            assert list(observer.run(os.getenv, "LIQBT_SNAPSHOT").values()) == [None, None]
            assert list(observer.run(os.listdir, str(snapshot)).values()) == [[], []]
            assert os.listdir(snapshot)          # while this process still sees the data

            # 1. the small sweep (walk-forward included) on the cluster: the same bytes
            on_cluster = run_configured_sweep(small_setup, tmp_path / "small",
                                              scheduler=cluster.address)
            assert on_cluster.summary["engine"] == "dask"
            for name in OUTPUT_FILES:
                assert ((tmp_path / "small" / name).read_bytes()
                        == (small_sweep.out_dir / name).read_bytes()), name
            assert results_of(on_cluster.summary) == results_of(small_sweep.summary)

            # 2. one worker SIGKILLed while it holds chunks: they rerun on the other one
            killed = []

            def kill_a_busy_worker(result) -> None:
                if killed:
                    return
                for _ in range(200):
                    busy = {a: [k for k in keys if str(k).startswith("liqbt-sweep-chunk-")]
                            for a, keys in observer.processing().items()}
                    victims = [a for a, keys in busy.items() if keys]
                    if victims:
                        name = observer.scheduler_info()["workers"][victims[0]]["name"]
                        cluster.kill(name)
                        killed.append((name, busy[victims[0]]))
                        return
                    time.sleep(0.005)

            survived = run_configured_sweep(setup, tmp_path / "killed",
                                            scheduler=cluster.address,
                                            on_chunk=kill_a_busy_worker)
            facts = survived.summary["cluster"]
            assert (facts["workers"], facts["workers_at_end"]) == (2, 1)

            # 3. the last worker dies too: every wait is bounded, one line each
            stalled = replace(small_setup, spec=replace(small_setup.spec, sweep=small_setup.spec
                                                        .sweep.model_copy(update={
                                                            "cluster_timeout_s": 2})))
            last = next(n for n in ("w0", "w1") if n != killed[0][0])
            began = time.monotonic()
            with pytest.raises(SweepClusterError, match=r"no chunk finished on the dask cluster "
                               r"at .* within 2 s \(0 workers connected\)"):
                run_configured_sweep(stalled, tmp_path / "stalled", scheduler=cluster.address,
                                     on_chunk=lambda result: cluster.kill(last))
            assert time.monotonic() - began < 30
            with pytest.raises(SweepClusterError, match="no dask worker joined the scheduler at "
                               ".* within 1 s .*start workers with `dask worker"):
                connect(cluster.address, timeout_s=1)
        finally:
            observer.close()
    assert killed and killed[0][1], "no worker held a chunk to kill"
    for name in ("sweep.parquet", "sweep.csv"):
        assert ((tmp_path / "killed" / name).read_bytes()
                == (tmp_path / "local" / name).read_bytes()), name
    assert results_of(survived.summary) == results_of(local.summary)
    sent = facts["sent_bytes"]
    assert sent["inputs"] > 100_000 and 0 < sent["chunk_rows"] < sent["inputs"]
    assert facts["received_bytes"] > 1200 * 9 * 8          # metrics + final value of each combo


def test_an_unreachable_scheduler_is_one_line():
    with pytest.raises(InputError, match=r"cannot reach the dask scheduler at "
                                         r"tcp://127.0.0.1:9 within 1 s .*dask scheduler"):
        connect("tcp://127.0.0.1:9", timeout_s=1)


@pytest.mark.parametrize("address, problem", [
    ("", "expected SCHEME://HOST:PORT"), ("nonsense", "expected SCHEME://HOST:PORT"),
    ("http://x:80", "unknown scheme 'http'"), ("tcp://h:99999", "port 99999 is not between"),
    ("tcp://256.1.1.1:8786", "256.1.1.1 is not an IPv4 address"),
    (" tcp://h:1", "expected SCHEME://HOST:PORT"),
])
def test_a_malformed_scheduler_address_is_one_line_at_once(address, problem):
    """dask's client takes a minute to refuse these and its finaliser prints a traceback."""
    from backtests.sweep.cluster import check_address

    with pytest.raises(InputError, match=re.escape(problem)) as caught:
        check_address(address, "--scheduler")
    assert str(caught.value).startswith(f"--scheduler '{address}': not a dask scheduler address")


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:8786", "10.0.0.5:8786", "tls://h.example:1",
                                     "tcp://[::1]:8786", "ws://sched-1:8786"])
def test_real_scheduler_addresses_pass(address):
    from backtests.sweep.cluster import check_address

    assert check_address(address, "--scheduler") == address

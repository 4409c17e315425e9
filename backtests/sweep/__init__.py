"""backtests.sweep — a configured strategy over a parameter grid: thousands of combinations
simulated by a numba replica of vectorbt's `from_orders`, summarised, checkpointed chunk by chunk,
then the winner, deflated Sharpe, PBO, parity with vectorbt and the walk-forward.

    config      the `sweep:` section and `SweepSpec` (everything a sweep is asked to do)
    kernel      numba kernels (`*_nb`): one combination's orders, value and metrics
    simulate    the numpy-facing API of the kernel: `prepare_plan`, `run_sweep`
    chunks      one chunk: build its weights, simulate, summarise, score walk-forward windows
    executors   chunks in this process (numba threads) or on dask (cluster)
    cluster     chunks on a dask LocalCluster or an existing cluster: inputs sent once, bounded waits
    store       checkpoints and the sweep table files
    selection   eligibility, the winner, parity with vectorbt, DSR and PBO samples
    summary     sweep_summary.json and the walk-forward files
    review      headline numbers, their change against a baseline, the gates
    runner      `prepare_sweep` + `run_configured_sweep`: the whole sweep
    sharding    the plan, one shard's chunks, the merge of every shard's output

Public names are imported lazily (the kernels compile or load numba code on import).
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "SweepSection": "config", "SweepSpec": "config", "SweepConstraints": "config",
    "constraint_bounds": "config",
    "SweepPlan": "simulate", "SweepResult": "simulate", "prepare_plan": "simulate",
    "run_sweep": "simulate",
    "SweepCheckpoint": "store", "RUN_FACT_KEYS": "store",
    "SweepParityError": "selection",
    "SweepSetup": "runner", "SweepOutcome": "runner", "SweepProgress": "runner",
    "prepare_sweep": "runner", "run_configured_sweep": "runner",
    "Shard": "sharding", "run_shard": "sharding", "merge_shards": "sharding",
    "SweepGates": "config", "SweepClusterError": "cluster",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

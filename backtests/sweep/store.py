"""Where a sweep keeps its work: per-chunk checkpoints and the final output files.

Checkpoint (OUT/checkpoint/): `chunk-NNNNNN.parquet` per finished chunk (metrics, final value,
walk-forward window scores) and `manifest.json` = {key, n_combos, chunk_size, n_chunks, done}.
Each chunk file is written atomically before the manifest lists it, so an interruption at any point
leaves a consistent checkpoint. The key hashes everything a chunk's numbers depend on (the config's
universe, data window, signals, swept strategy, costs, lag, risk-free rate, grid, metric,
constraints, walk-forward and chunk size, plus the market data and signal values themselves), so a
changed config or data cannot resume stale work.

Outputs (OUT/): `sweep.parquet` and `sweep.csv` (one row per combination: `combo`, the grid
parameters, METRIC_NAMES, `final_value`, `eligible`), `sweep_summary.json`.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd

from backtests.sweep.chunks import ChunkResult
from feeds.atomic import atomic_path, write_bytes_atomic, write_text_atomic
from feeds.errors import InputError

CHECKPOINT_VERSION = 1
# Summary keys that describe this invocation rather than the results (they differ between an
# interrupted-then-resumed run and an uninterrupted one, or between engines).
RUN_FACT_KEYS = ("combos_per_s", "elapsed_s", "chunks_computed", "chunks_resumed", "engine",
                 "workers", "created_utc")


def _digest_array(digest, values: np.ndarray) -> None:
    if values.dtype == object or values.dtype.kind in "OUT":
        digest.update("\x1f".join(map(str, values.tolist())).encode())
    else:
        digest.update(np.ascontiguousarray(values).tobytes())


def data_digest(sessions: pd.DatetimeIndex, prices: pd.DataFrame, tradable: pd.DataFrame | None,
                signals: dict[str, pd.Series], start_position: int) -> str:
    """sha256 of the market inputs a sweep reads."""
    digest = hashlib.sha256()
    digest.update(np.asarray(sessions.asi8).tobytes())
    digest.update(",".join(prices.columns).encode())
    _digest_array(digest, prices.to_numpy(dtype=np.float64))
    if tradable is not None:
        _digest_array(digest, tradable.to_numpy(dtype=bool))
    for name in sorted(signals):
        digest.update(name.encode())
        series = signals[name]
        numeric = pd.api.types.is_numeric_dtype(series.dtype)
        _digest_array(digest, series.to_numpy(dtype=np.float64) if numeric
                      else series.astype(object).to_numpy())
    digest.update(str(start_position).encode())
    return digest.hexdigest()


def checkpoint_key(parts: dict) -> str:
    """sha256 of a JSON-serialisable description of the work."""
    text = json.dumps({"version": CHECKPOINT_VERSION, **parts}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


class SweepCheckpoint:
    """Finished chunks of one sweep in `folder`; see the module docstring."""

    def __init__(self, folder: Path, key: str, n_combos: int, chunk_size: int):
        self.folder = folder
        self.key = key
        self.n_combos = n_combos
        self.chunk_size = chunk_size
        self.n_chunks = max(1, math.ceil(n_combos / chunk_size))
        self.done: set[int] = set()

    @property
    def manifest_path(self) -> Path:
        return self.folder / "manifest.json"

    def chunk_path(self, index: int) -> Path:
        return self.folder / f"chunk-{index:06d}.parquet"

    def rows(self, index: int) -> slice:
        return slice(index * self.chunk_size, min((index + 1) * self.chunk_size, self.n_combos))

    def open(self, resume: bool) -> None:
        """Start fresh (old chunks removed), or with --resume continue a checkpoint of the same
        work; a checkpoint of different work is refused rather than silently discarded. Temp
        files a killed run left (`.chunk-*.tmp`, `.manifest.json.*.tmp`) go either way: the
        sweep's output lock guarantees no other process is writing them."""
        if self.folder.is_dir():
            for stale in self.folder.glob(".*.tmp"):
                stale.unlink(missing_ok=True)
        if resume and self.manifest_path.is_file():
            stored = json.loads(self.manifest_path.read_text(encoding="utf-8"))
            if stored.get("key") != self.key:
                raise InputError(
                    f"{self.folder}: this checkpoint was made for a different config, grid, "
                    "chunk size or data (key mismatch), so it cannot be resumed; run without "
                    "--resume to start over, or pass another --out")
            self.done = {i for i in stored.get("done", []) if self.chunk_path(i).is_file()}
            return
        if self.folder.is_dir():
            for stale in self.folder.glob("chunk-*.parquet"):
                stale.unlink()
        self.done = set()
        self._write_manifest()

    def _write_manifest(self) -> None:
        write_text_atomic(self.manifest_path, json.dumps({
            "key": self.key, "n_combos": self.n_combos, "chunk_size": self.chunk_size,
            "n_chunks": self.n_chunks, "done": sorted(self.done)}, indent=1) + "\n")

    def save(self, result: ChunkResult) -> None:
        with atomic_path(self.chunk_path(result.index)) as temp:
            result.frame().to_parquet(temp, index=False)
        self.done.add(result.index)
        self._write_manifest()

    def load(self, index: int) -> ChunkResult:
        frame = pd.read_parquet(self.chunk_path(index))
        expected = self.rows(index)
        if len(frame) != expected.stop - expected.start:
            raise InputError(f"{self.chunk_path(index)}: {len(frame)} rows where "
                             f"{expected.stop - expected.start} were expected; delete "
                             f"{self.folder} and rerun")
        return ChunkResult.from_frame(index, frame)

    def todo(self) -> list[int]:
        return [i for i in range(self.n_chunks) if i not in self.done]


def write_sweep_table(out_dir: Path, table: pd.DataFrame) -> None:
    """sweep.parquet and sweep.csv (full float precision), atomically."""
    with atomic_path(out_dir / "sweep.parquet") as temp:
        table.to_parquet(temp, index=False)
    buffer = io.StringIO()
    table.to_csv(buffer, index=False)
    write_bytes_atomic(out_dir / "sweep.csv", buffer.getvalue().encode())

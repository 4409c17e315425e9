"""Where a sweep keeps its work: per-chunk checkpoints and the final output files.

Checkpoint (OUT/checkpoint/): `chunk-NNNNNN.parquet` per finished chunk (metrics, final value,
walk-forward window scores) and `manifest.json` = {key, n_combos, chunk_size, n_chunks, done,
sha256 (per chunk file)}. Each chunk file is written atomically before the manifest lists it, so an
interruption at any point leaves a consistent checkpoint (its temp files are removed on the next
open); a chunk file that no longer matches its sha256 is refused. The key hashes everything a chunk's numbers depend on (the config's
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
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from feeds.atomic import atomic_path, write_bytes_atomic, write_text_atomic
from feeds.errors import InputError

if TYPE_CHECKING:  # chunks loads the numba kernels: not needed to plan or gather shards
    from backtests.sweep.chunks import ChunkResult

CHECKPOINT_VERSION = 1
# Summary keys that describe this invocation rather than the results (they differ between an
# interrupted-then-resumed run and an uninterrupted one, between engines, between a sharded-then-
# merged sweep and one run in one piece, or with the baseline it is compared with).
RUN_FACT_KEYS = ("combos_per_s", "elapsed_s", "chunks", "chunk_size", "chunks_computed",
                 "chunks_resumed", "engine", "workers", "cluster", "shards", "baseline",
                 "created_utc")


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
    """Finished chunks of one sweep (or of one shard of it) in `folder`; see the module docstring.

    `assigned` limits the work to some chunks (a shard's share; default all of them);
    `manifest_name` and `facts` let a shard write its manifest under its own name with what the
    merge needs to know about it (backtests.sweep.sharding)."""

    def __init__(self, folder: Path, key: str, n_combos: int, chunk_size: int, *,
                 assigned: list[int] | None = None, manifest_name: str = "manifest.json",
                 facts: dict | None = None):
        self.folder = folder
        self.key = key
        self.n_combos = n_combos
        self.chunk_size = chunk_size
        self.n_chunks = max(1, math.ceil(n_combos / chunk_size))
        self.assigned = list(range(self.n_chunks)) if assigned is None else sorted(assigned)
        self.manifest_name = manifest_name
        self.facts = dict(facts or {})
        self.done: set[int] = set()
        self.sha256: dict[int, str] = {}

    @property
    def manifest_path(self) -> Path:
        return self.folder / self.manifest_name

    def chunk_path(self, index: int) -> Path:
        return self.folder / chunk_file_name(index)

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
            stored = self._stored_manifest()
            if stored.get("key") != self.key:
                raise InputError(
                    f"{self.folder}: this checkpoint was made for a different config, grid, "
                    "chunk size or data (key mismatch), so it cannot be resumed; run without "
                    "--resume to start over, or pass another --out")
            hashes = stored.get("sha256", {})
            self.done = {i for i in stored.get("done", [])
                         if i in self.assigned and self.chunk_path(i).is_file()}
            self.sha256 = {i: hashes[str(i)] for i in self.done if str(i) in hashes}
            return
        if self.folder.is_dir():  # a shard's own chunks only: shards may share a folder
            owned = {chunk_file_name(i) for i in self.assigned}
            for stale in self.folder.glob("chunk-*.parquet"):
                if self.manifest_name == "manifest.json" or stale.name in owned:
                    stale.unlink()
        self.done, self.sha256 = set(), {}
        self.write_manifest()

    def _stored_manifest(self) -> dict:
        """The checkpoint's manifest as a killed or edited run left it; one line when it is not a
        manifest liqbt wrote (the chunks cannot be trusted without it)."""
        try:
            stored = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            stored = exc
        valid = (isinstance(stored, dict) and isinstance(stored.get("done", []), list)
                 and all(isinstance(i, int) for i in stored.get("done", []))
                 and isinstance(stored.get("sha256", {}), dict))
        if not valid:
            raise InputError(
                f"{self.manifest_path}: not a readable checkpoint manifest (damaged or edited), "
                f"so its chunks cannot be resumed; delete {self.folder} and rerun, or run "
                "without --resume to start over")
        return stored

    def manifest(self) -> dict:
        return {"key": self.key, "n_combos": self.n_combos, "chunk_size": self.chunk_size,
                "n_chunks": self.n_chunks, **self.facts, "done": sorted(self.done),
                "sha256": {str(i): self.sha256[i] for i in sorted(self.sha256)}}

    def write_manifest(self) -> None:
        write_text_atomic(self.manifest_path, json.dumps(self.manifest(), indent=1) + "\n")

    def save(self, result: ChunkResult) -> None:
        buffer = io.BytesIO()
        result.frame().to_parquet(buffer, index=False)
        data = buffer.getvalue()
        write_bytes_atomic(self.chunk_path(result.index), data)
        self.done.add(result.index)
        self.sha256[result.index] = hashlib.sha256(data).hexdigest()
        self.write_manifest()

    def adopt(self, files: dict[int, tuple[Path, str]]) -> None:
        """Copy finished chunks made elsewhere ({index: (file, sha256)}, e.g. by shards) into
        this checkpoint, each checked against its sha256; the manifest is written once."""
        for index, (source, sha256) in sorted(files.items()):
            try:
                data = source.read_bytes()
            except OSError as exc:
                raise InputError(f"{source}: cannot read this shard's chunk ({exc.strerror}); "
                                 "make the shard outputs readable") from None
            if hashlib.sha256(data).hexdigest() != sha256:
                raise InputError(f"{source}: the chunk file changed after its shard listed it "
                                 "(sha256 mismatch); download the shard artifacts again")
            self._result(index, data, source, "rerun that shard")  # damaged as it was made
            write_bytes_atomic(self.chunk_path(index), data)
            self.done.add(index)
            self.sha256[index] = sha256
        self.write_manifest()

    def load(self, index: int) -> ChunkResult:
        path = self.chunk_path(index)
        data = path.read_bytes()
        if index in self.sha256 and hashlib.sha256(data).hexdigest() != self.sha256[index]:
            raise InputError(f"{path}: the chunk file changed after it was checkpointed (sha256 "
                             f"mismatch); delete {self.folder} and rerun")
        return self._result(index, data, path, f"delete {self.folder} and rerun")

    def _result(self, index: int, data: bytes, path: Path, fix: str) -> ChunkResult:
        """Chunk `index` from the bytes of its file `path`, or one line ending with `fix`."""
        from backtests.sweep.chunks import ChunkResult

        try:
            frame = pd.read_parquet(io.BytesIO(data))
        except Exception as exc:  # noqa: BLE001  (pyarrow raises several kinds for a bad file)
            raise InputError(f"{path}: not a readable chunk file ({type(exc).__name__}); "
                             f"{fix}") from None
        expected = self.rows(index)
        if len(frame) != expected.stop - expected.start:
            raise InputError(f"{path}: {len(frame)} rows where "
                             f"{expected.stop - expected.start} were expected; {fix}")
        try:
            return ChunkResult.from_frame(index, frame)
        except (KeyError, TypeError, ValueError):
            raise InputError(f"{path}: not a chunk of a liqbt sweep (its columns differ); "
                             f"{fix}") from None

    def todo(self) -> list[int]:
        return [i for i in self.assigned if i not in self.done]


def chunk_file_name(index: int) -> str:
    return f"chunk-{index:06d}.parquet"


def write_sweep_table(out_dir: Path, table: pd.DataFrame) -> None:
    """sweep.parquet and sweep.csv (full float precision), atomically."""
    with atomic_path(out_dir / "sweep.parquet") as temp:
        table.to_parquet(temp, index=False)
    buffer = io.StringIO()
    table.to_csv(buffer, index=False)
    write_bytes_atomic(out_dir / "sweep.csv", buffer.getvalue().encode())

"""A sweep split across processes or CI jobs: the plan, each shard's share, and the merge's check.

    plan      `liqbt sweep CONFIG --plan --shards N`: one JSON line usable as a GitHub Actions
              matrix, {"include": [{"shard": "1/4", "combos": .., "chunks": ..}, ...]}
    shard     `--shard I/N` (1-based) computes chunks I-1, I-1+N, I-1+2N, ... of the sweep (every
              N-th chunk, so expensive corners of the grid spread over the shards) into
              OUT/checkpoint/: the chunk files plus `shard-I-of-N.json`, a checkpoint manifest
              that also names the shard. The file names never collide between shards, so their
              artifacts can be downloaded into one folder.
    merge     `--merge-from DIR` finds every shard manifest anywhere below DIR and checks that each
              chunk of the sweep is there exactly once, listed by a manifest whose key matches this
              config, grid, chunk size and data, with the sha256 the shard recorded; anything
              missing, foreign or duplicated is one line naming it (exit 2).

Sharded runs use chunks of min(sweep.chunk, ceil(combos / N)) unless --chunk says otherwise, so
every shard gets work. The chunk results do not depend on the chunk size: a merged sweep writes the
same files as an unsharded one (only the run facts differ).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from backtests.sweep.store import SweepCheckpoint, chunk_file_name
from feeds.atomic import json_ready
from feeds.errors import InputError, shown

SHARD_FORMAT = "liqbt sweep shard"
MANIFEST_PATTERN = re.compile(r"shard-(\d+)-of-(\d+)\.json")
SHOWN = 8  # items listed per kind of problem before "and N more"
MAX_SHARDS = 256  # as `--shards` of --plan: a CI matrix holds at most 256 jobs
SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Shard:
    """Shard `index` (1-based) of `count`."""

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> "Shard":
        match = re.fullmatch(r"\s*([0-9]{1,6})\s*/\s*([0-9]{1,6})\s*", text)
        if not match or not 1 <= int(match[1]) <= int(match[2]) <= MAX_SHARDS:
            raise InputError(f"--shard {shown(text)}: expected I/N with 1 <= I <= N <= "
                             f"{MAX_SHARDS}, e.g. --shard 2/4 (the shards of `liqbt sweep CONFIG "
                             "--plan --shards N`)")
        return cls(int(match[1]), int(match[2]))

    @property
    def label(self) -> str:
        return f"{self.index}/{self.count}"

    @property
    def manifest_name(self) -> str:
        return f"shard-{self.index}-of-{self.count}.json"

    def chunks(self, n_chunks: int) -> list[int]:
        return list(range(self.index - 1, n_chunks, self.count))


def shard_chunk_size(n_combos: int, shards: int, configured: int) -> int:
    """The chunk size of a sweep split in `shards`: small enough that every shard gets a chunk."""
    return max(1, min(configured, math.ceil(n_combos / shards)))


def plan(n_combos: int, shards: int, chunk_size: int) -> dict:
    """The matrix of a sweep of `n_combos` in at most `shards` shards (never more shards than
    chunks): one entry per shard with its label, combinations and chunks."""
    n_chunks = max(1, math.ceil(n_combos / chunk_size))
    count = min(shards, n_chunks)
    include = []
    for index in range(1, count + 1):
        chunks = Shard(index, count).chunks(n_chunks)
        combos = sum(min((c + 1) * chunk_size, n_combos) - c * chunk_size for c in chunks)
        include.append({"shard": f"{index}/{count}", "index": index, "combos": combos,
                        "chunks": len(chunks), "chunk_size": chunk_size})
    return {"include": include}


@dataclass(frozen=True)
class GatheredShards:
    """Every chunk of a sweep found below a folder: {chunk: (file, sha256)}, and where from."""

    files: dict[int, tuple[Path, str]]
    chunk_size: int
    shards: int
    manifests: list[Path]
    facts: list[dict]


def _listing(items: list[str]) -> str:
    shown = ", ".join(items[:SHOWN])
    return shown + (f" and {len(items) - SHOWN} more" if len(items) > SHOWN else "")


def _count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _read_manifest(path: Path, n_combos: int) -> dict | None:
    """The shard manifest at `path`, or None when it is not one liqbt wrote for a sweep of
    `n_combos` (unreadable, damaged, edited: chunk indices outside the sweep, hashes that are
    not sha256)."""
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("format") != SHARD_FORMAT:
        return None
    fields = ("chunk_size", "shards", "shard")
    if not all(_count(manifest.get(f)) and manifest[f] >= 1 for f in fields) \
            or manifest["shard"] > manifest["shards"] or not isinstance(manifest.get("key"), str):
        return None
    n_chunks = max(1, math.ceil(n_combos / manifest["chunk_size"]))
    done, hashes = manifest.get("done", []), manifest.get("sha256", {})
    if not isinstance(done, list) or not isinstance(hashes, dict) \
            or not all(_count(i) and i < n_chunks for i in done) \
            or not all(isinstance(h, str) and SHA256.fullmatch(h) for h in hashes.values()):
        return None
    if not isinstance(manifest.get("run", {}), dict):
        manifest["run"] = {}
    return manifest


def manifest_paths(folder: Path) -> list[Path]:
    """Every shard manifest below `folder` (checked before any data is loaded), or one line."""
    if not folder.is_dir():
        what = "not a folder" if folder.exists() else "no such folder"
        raise InputError(f"--merge-from {folder}: {what}; pass the folder the shard outputs "
                         "(artifacts) were gathered into")
    try:
        paths = sorted(p for p in folder.rglob("shard-*-of-*.json")
                       if MANIFEST_PATTERN.fullmatch(p.name))
    except OSError as exc:
        raise InputError(f"--merge-from {folder}: cannot list {exc.filename or folder} "
                         f"({exc.strerror}); make the shard outputs readable") from None
    if not paths:
        raise InputError(f"--merge-from {folder}: no shard manifest (shard-I-of-N.json) below it; "
                         "run `liqbt sweep CONFIG --shard I/N --out DIR` for each shard and "
                         "gather their DIRs there")
    return paths


def gather_shards(folder: Path, key_of: Callable[[int], str], n_combos: int) -> GatheredShards:
    """The chunks of the shard outputs anywhere below `folder` (see the module docstring);
    `key_of(chunk_size)` is this sweep's checkpoint key for that chunk size."""
    paths = manifest_paths(folder)
    foreign: list[str] = []
    valid: list[tuple[Path, dict]] = []
    for path in paths:
        manifest = _read_manifest(path, n_combos)
        if manifest is None:
            foreign.append(f"{path} (not a liqbt shard manifest, or damaged)")
        elif manifest.get("key") != key_of(manifest.get("chunk_size")):
            foreign.append(f"{path} (made for another config, grid or data)")
        else:
            valid.append((path, manifest))
    sizes = sorted({(m["chunk_size"], m["shards"]) for _, m in valid},
                   key=lambda size: -sum((m["chunk_size"], m["shards"]) == size for _, m in valid))
    if len(sizes) > 1:
        foreign += [f"{p} (shard of {m['shards']} with chunks of {m['chunk_size']}, the others "
                    f"of {sizes[0][1]} with chunks of {sizes[0][0]})"
                    for p, m in valid if (m["chunk_size"], m["shards"]) != sizes[0]]
        valid = [(p, m) for p, m in valid if (m["chunk_size"], m["shards"]) == sizes[0]]
    found: dict[int, tuple[Path, str]] = {}
    duplicates: list[str] = []
    missing_files: list[str] = []
    for path, manifest in valid:
        hashes = manifest.get("sha256", {})
        for index in manifest.get("done", []):
            chunk = path.parent / chunk_file_name(index)
            if not chunk.is_file() or str(index) not in hashes:
                missing_files.append(f"{chunk} (listed in {path.name})")
            elif index in found:
                duplicates.append(f"chunk {index} ({found[index][0]} and {chunk})")
            else:
                found[index] = (chunk, hashes[str(index)])
    chunk_size, shards = sizes[0] if sizes else (1, 1)
    n_chunks = max(1, math.ceil(n_combos / chunk_size))
    missing = [i for i in range(n_chunks) if i not in found]
    problems = []
    if missing and valid:
        by_shard = sorted({i % shards + 1 for i in missing})
        problems.append(f"missing chunks {_listing([str(i) for i in missing])} of {n_chunks} "
                        f"(shards {_listing([f'{s}/{shards}' for s in by_shard])})")
    elif not valid:
        problems.append("no shard of this sweep")
    if missing_files:
        problems.append(f"missing files {_listing(missing_files)}")
    if foreign:
        problems.append(f"foreign {_listing(foreign)}")
    if duplicates:
        problems.append(f"duplicated {_listing(duplicates)}")
    if problems:
        raise InputError(f"--merge-from {folder}: cannot merge: {'; '.join(problems)}; gather the "
                         "outputs of every shard of one run (same config, data and --shards) "
                         "and merge again")
    return GatheredShards(found, chunk_size, shards, [p for p, _ in valid],
                          [m.get("run", {}) for _, m in valid])


def run_shard(setup, out_dir: Path, shard: Shard, *, resume: bool = False,
              chunk: int | None = None, progress=None,
              status: Callable[[str], None] = lambda message: None,
              on_chunk: Callable = lambda result: None, **engine) -> SweepCheckpoint:
    """Compute `shard`'s chunks of `setup`'s sweep into OUT/checkpoint/ (no selection, no
    statistics: those need every chunk); `engine` as for `compute_chunks`."""
    from backtests.sweep.runner import chunk_key, compute_chunks

    n_combos = len(setup.combos)
    chunk_size = chunk or shard_chunk_size(n_combos, shard.count, setup.spec.sweep.chunk)
    n_chunks = max(1, math.ceil(n_combos / chunk_size))
    assigned = shard.chunks(n_chunks)
    if not assigned:
        raise InputError(f"--shard {shard.label}: no chunk for this shard: the sweep has "
                         f"{n_chunks} chunks of {chunk_size} combinations; run the shards "
                         f"`liqbt sweep CONFIG --plan --shards {shard.count}` lists")
    checkpoint = SweepCheckpoint(
        out_dir / "checkpoint", chunk_key(setup, chunk_size), n_combos, chunk_size,
        assigned=assigned, manifest_name=shard.manifest_name,
        facts={"format": SHARD_FORMAT, "config": setup.spec.name, "shard": shard.index,
               "shards": shard.count, "assigned": assigned})
    checkpoint.open(resume)
    facts = compute_chunks(setup, checkpoint, progress=progress, status=status,
                           on_chunk=on_chunk, **engine)
    checkpoint.facts["run"] = json_ready(facts)
    checkpoint.write_manifest()
    return checkpoint


def merge_shards(setup, shards_dir: Path, out_dir: Path, *, gates: bool = True, baseline=None,
                 status: Callable[[str], None] = lambda message: None):
    """Check and gather the shard outputs below `shards_dir` into OUT/checkpoint/, then write
    every output of the whole sweep as `run_configured_sweep` does (a `SweepOutcome`)."""
    from backtests.sweep.runner import chunk_key, finish_sweep

    n_combos = len(setup.combos)
    gathered = gather_shards(shards_dir, lambda size: chunk_key(setup, size), n_combos)
    status(f"merging {len(gathered.files)} chunks from {len(gathered.manifests)} shards")
    checkpoint = SweepCheckpoint(out_dir / "checkpoint", chunk_key(setup, gathered.chunk_size),
                                 n_combos, gathered.chunk_size)
    checkpoint.open(resume=False)
    checkpoint.adopt(gathered.files)
    facts = {"combos_per_s": None, "chunks": checkpoint.n_chunks,
             "chunk_size": checkpoint.chunk_size, "chunks_computed": 0, "chunks_resumed": 0,
             "engine": "shards", "workers": None, "cluster": None,
             "shards": {"count": gathered.shards, "from": str(shards_dir),
                        "manifests": [str(p.relative_to(shards_dir)) for p in gathered.manifests],
                        "runs": gathered.facts}}
    return finish_sweep(setup, checkpoint, out_dir, facts, gates=gates, baseline=baseline,
                        status=status)

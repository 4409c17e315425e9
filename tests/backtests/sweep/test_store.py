"""Sweep checkpoints: atomic chunks listed in a keyed manifest; stale work is never resumed."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from backtests.sweep.chunks import ChunkResult
from backtests.sweep.store import SweepCheckpoint, checkpoint_key, data_digest
from feeds.errors import InputError


def chunk(index: int, rows: int, windows: int = 2) -> ChunkResult:
    rng = np.random.default_rng(index)
    return ChunkResult(index, rng.normal(size=(rows, 8)), rng.uniform(size=rows),
                       rng.normal(size=(rows, windows)))


def test_chunks_round_trip_and_resume_lists_only_saved_files(tmp_path):
    store = SweepCheckpoint(tmp_path, "k1", n_combos=11, chunk_size=4)
    assert store.n_chunks == 3 and store.rows(2) == slice(8, 11)
    store.open(resume=False)
    saved = chunk(1, 4)
    store.save(saved)
    loaded = store.load(1)
    for field in ("metrics", "final_value", "window_scores"):
        assert np.array_equal(getattr(loaded, field), getattr(saved, field))
    again = SweepCheckpoint(tmp_path, "k1", 11, 4)
    again.open(resume=True)
    assert again.done == {1} and again.todo() == [0, 2]
    store.chunk_path(1).unlink()                       # listed but gone: recomputed
    again.open(resume=True)
    assert again.todo() == [0, 1, 2]


def test_other_work_is_refused_on_resume_and_cleared_otherwise(tmp_path):
    store = SweepCheckpoint(tmp_path, "k1", 8, 4)
    store.open(resume=False)
    store.save(chunk(0, 4))
    with pytest.raises(InputError, match="key mismatch"):
        SweepCheckpoint(tmp_path, "k2", 8, 4).open(resume=True)
    fresh = SweepCheckpoint(tmp_path, "k2", 8, 4)
    fresh.open(resume=False)
    assert not store.chunk_path(0).exists()
    assert json.loads(fresh.manifest_path.read_text())["done"] == []


def test_a_short_chunk_file_is_an_error_not_silently_used(tmp_path):
    store = SweepCheckpoint(tmp_path, "k", 8, 4)
    store.open(resume=False)
    store.save(chunk(0, 3))
    with pytest.raises(InputError, match="3 rows where 4 were expected"):
        store.load(0)


def test_keys_and_data_digests_change_with_their_inputs():
    assert checkpoint_key({"a": 1}) == checkpoint_key({"a": 1}) != checkpoint_key({"a": 2})
    sessions = pd.bdate_range("2020-01-01", periods=5)
    prices = pd.DataFrame({"x": [1.0, 2, 3, 4, 5]}, index=sessions)
    signals = {"s": pd.Series(["a", "b", "a", "b", "a"], index=sessions)}
    base = data_digest(sessions, prices, None, signals, 0)
    assert base == data_digest(sessions, prices.copy(), None, signals, 0)
    assert base != data_digest(sessions, prices * 1.0000001, None, signals, 0)
    assert base != data_digest(sessions, prices, None, {"s": signals["s"].replace("b", "c")}, 0)
    assert base != data_digest(sessions, prices, None, signals, 1)


@pytest.mark.parametrize("resume", [True, False])
def test_temp_files_a_killed_sweep_left_are_cleaned_when_the_checkpoint_opens(tmp_path, resume):
    store = SweepCheckpoint(tmp_path, "k", 8, 4)
    store.open(resume=False)
    store.save(chunk(0, 4))
    stale = [tmp_path / ".chunk-000001.parquet.x1y2z3.tmp", tmp_path / ".manifest.json.ab12.tmp"]
    stale[0].write_bytes(b"")          # killed right after the temp file was created
    stale[1].write_text('{"key": "k"')  # or half-way through the manifest
    again = SweepCheckpoint(tmp_path, "k", 8, 4)
    again.open(resume=resume)
    assert not any(path.exists() for path in stale)
    assert again.todo() == ([1] if resume else [0, 1])


def test_a_killed_runs_temp_files_go_and_a_changed_chunk_is_refused(tmp_path):
    store = SweepCheckpoint(tmp_path, "k", 8, 4)
    store.open(resume=False)
    store.save(chunk(0, 4))
    left = [tmp_path / ".chunk-000001.parquet.x1y2.tmp", tmp_path / ".manifest.json.z3.tmp"]
    for path in left:
        path.write_bytes(b"")                        # what a SIGKILL mid-write leaves
    again = SweepCheckpoint(tmp_path, "k", 8, 4)
    again.open(resume=True)
    assert again.todo() == [1] and not any(p.exists() for p in left)
    assert again.sha256[0] == json.loads(store.manifest_path.read_text())["sha256"]["0"]
    store.chunk_path(0).write_bytes(store.chunk_path(0).read_bytes() + b"\0")
    with pytest.raises(InputError, match="changed after it was checkpointed"):
        again.load(0)


@pytest.mark.parametrize("damage", [b'{"key": "k", "do', b"[1, 2]", b"\xff\xfe", b'{"key": "k", '
                                    b'"done": ["0"]}'])
def test_a_damaged_manifest_is_one_line_on_resume_and_a_fresh_start_without(tmp_path, damage):
    store = SweepCheckpoint(tmp_path, "k", 8, 4)
    store.open(resume=False)
    store.save(chunk(0, 4))
    store.manifest_path.write_bytes(damage)
    with pytest.raises(InputError, match="not a readable checkpoint manifest .* delete"):
        SweepCheckpoint(tmp_path, "k", 8, 4).open(resume=True)
    again = SweepCheckpoint(tmp_path, "k", 8, 4)
    again.open(resume=False)
    assert again.todo() == [0, 1]


@pytest.mark.parametrize("content, message", [
    (b"PAR1 not parquet at all", "not a readable chunk file"),
    (None, "not a chunk of a liqbt sweep"),
])
def test_an_unreadable_chunk_with_a_matching_hash_is_one_line(tmp_path, content, message):
    """The hash only says the file is the one listed; a file that was never a chunk (or one
    of other columns) is one line, not an ArrowInvalid/KeyError crash."""
    import hashlib
    import io

    store = SweepCheckpoint(tmp_path, "k1", 8, 4)
    store.open(resume=False)
    store.save(chunk(0, 4))
    if content is None:
        buffer = io.BytesIO()
        pd.DataFrame({"x": range(4)}).to_parquet(buffer, index=False)
        content = buffer.getvalue()
    store.chunk_path(0).write_bytes(content)
    store.sha256[0] = hashlib.sha256(content).hexdigest()
    with pytest.raises(InputError, match=f"chunk-000000.parquet: {message}"):
        store.load(0)

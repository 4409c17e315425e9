"""Sharded sweeps: the plan, each shard's share of the chunks, and the merge's check that every
chunk is there exactly once, from shards of this sweep (one line naming what is missing, foreign
or duplicated). End to end (real shards, merged = unsharded) in tests/workflows/."""

from __future__ import annotations

import json
import shutil

import pytest

from backtests.sweep.sharding import (
    SHARD_FORMAT, Shard, gather_shards, plan, shard_chunk_size,
)
from backtests.sweep.store import SweepCheckpoint
from feeds.errors import InputError
from tests.backtests.sweep.test_store import chunk


def key_of(size) -> str:
    return f"key-for-chunks-of-{size}"


def write_shard(folder, shard: Shard, n_combos=11, chunk_size=3, key=None) -> SweepCheckpoint:
    """A finished shard's output, as `liqbt sweep --shard` writes it (checkpoint/ in folder)."""
    n_chunks = -(-n_combos // chunk_size)
    store = SweepCheckpoint(folder / "checkpoint", key or key_of(chunk_size), n_combos,
                            chunk_size, assigned=shard.chunks(n_chunks),
                            manifest_name=shard.manifest_name,
                            facts={"format": SHARD_FORMAT, "shard": shard.index,
                                   "shards": shard.count})
    store.open(resume=False)
    for index in store.todo():
        rows = store.rows(index)
        store.save(chunk(index, rows.stop - rows.start))
    return store


def test_shards_take_every_nth_chunk_and_the_plan_is_a_matrix():
    assert Shard.parse("2/3") == Shard(2, 3) and Shard(2, 3).chunks(8) == [1, 4, 7]
    assert Shard(2, 3).manifest_name == "shard-2-of-3.json"
    for bad in ("0/3", "4/3", "3", "a/b", "1/0"):
        with pytest.raises(InputError, match=r"expected I/N with 1 <= I <= N"):
            Shard.parse(bad)
    assert shard_chunk_size(18, 2, 5) == 5 and shard_chunk_size(18, 4, 5) == 5
    assert shard_chunk_size(18, 8, 5) == 3 and shard_chunk_size(216, 4, 5000) == 54
    matrix = plan(18, 4, 5)
    assert [(e["shard"], e["combos"], e["chunks"]) for e in matrix["include"]] == [
        ("1/4", 5, 1), ("2/4", 5, 1), ("3/4", 5, 1), ("4/4", 3, 1)]
    capped = plan(4, 8, 3)          # never more shards than chunks
    assert [e["shard"] for e in capped["include"]] == ["1/2", "2/2"]
    assert set(json.loads(json.dumps(matrix))) == {"include"}


def test_gathered_shards_in_any_layout_give_every_chunk_once(tmp_path):
    for shard in (Shard(1, 2), Shard(2, 2)):
        write_shard(tmp_path / "runs" / f"s{shard.index}", shard)
    nested = tmp_path / "download" / "nested"         # one folder per artifact
    for index in (1, 2):
        shutil.copytree(tmp_path / "runs" / f"s{index}" / "checkpoint",
                        nested / f"sweep-shard-{index}")
    merged = tmp_path / "download" / "merged"         # download-artifact merge-multiple
    for index in (1, 2):
        shutil.copytree(tmp_path / "runs" / f"s{index}" / "checkpoint", merged,
                        dirs_exist_ok=True)
    for folder in (nested, merged):
        gathered = gather_shards(folder, key_of, 11)
        assert sorted(gathered.files) == [0, 1, 2, 3] and gathered.chunk_size == 3
        assert gathered.shards == 2 and len(gathered.manifests) == 2
    target = SweepCheckpoint(tmp_path / "out", key_of(3), 11, 3)
    target.open(resume=False)
    target.adopt(gathered.files)
    assert target.todo() == [] and target.load(3).metrics.shape == (2, 8)


def test_missing_foreign_and_duplicated_shards_are_one_line(tmp_path):
    write_shard(tmp_path / "a", Shard(1, 3))
    write_shard(tmp_path / "b", Shard(1, 3))                        # the same shard twice
    write_shard(tmp_path / "c", Shard(2, 3), key="another-config")  # foreign
    with pytest.raises(InputError) as caught:
        gather_shards(tmp_path, key_of, 11)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"--merge-from {tmp_path}: cannot merge: ")
    assert "missing chunks 1, 2 of 4 (shards 2/3, 3/3)" in message
    assert f"foreign {tmp_path / 'c' / 'checkpoint' / 'shard-2-of-3.json'} (made for another" in message
    assert (f"duplicated chunk 0 ({tmp_path / 'a' / 'checkpoint' / 'chunk-000000.parquet'} and "
            f"{tmp_path / 'b' / 'checkpoint' / 'chunk-000000.parquet'})") in message


def test_a_changed_chunk_file_or_no_shard_at_all_is_refused(tmp_path):
    store = write_shard(tmp_path / "a", Shard(1, 1))
    gathered = gather_shards(tmp_path, key_of, 11)
    store.chunk_path(2).write_bytes(store.chunk_path(1).read_bytes())
    target = SweepCheckpoint(tmp_path / "out", key_of(3), 11, 3)
    target.open(resume=False)
    with pytest.raises(InputError, match="chunk-000002.parquet: the chunk file changed after its "
                                         "shard listed it"):
        target.adopt(gathered.files)
    store.chunk_path(3).unlink()
    with pytest.raises(InputError, match=r"missing chunks 3 of 4 \(shards 1/1\); missing files "):
        gather_shards(tmp_path / "a", key_of, 11)
    with pytest.raises(InputError, match="no shard manifest"):
        gather_shards(tmp_path / "out", key_of, 11)
    with pytest.raises(InputError, match="no such folder"):
        gather_shards(tmp_path / "nowhere", key_of, 11)

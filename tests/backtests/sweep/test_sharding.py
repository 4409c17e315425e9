"""Sharded sweeps: the plan, each shard's share of the chunks, and the merge's check that every
chunk is there exactly once, from shards of this sweep (one line naming what is missing, foreign
or duplicated). End to end (real shards, merged = unsharded) in tests/workflows/."""

from __future__ import annotations

import hashlib
import json
import shutil

import pytest

from backtests.sweep.sharding import (
    SHARD_FORMAT, Shard, gather_shards, manifest_paths, plan, shard_chunk_size,
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


@pytest.mark.parametrize("bad", ["１/4", "1/257", "99999999999999999999/99999999999999999999"])
def test_a_shard_beyond_the_plan_or_in_other_digits_is_refused(bad):
    with pytest.raises(InputError, match=r"expected I/N with 1 <= I <= N <= 256"):
        Shard.parse(bad)


@pytest.mark.parametrize("edit", [
    {"done": None}, {"done": "0,3"}, {"done": ["0", "3"]}, {"done": [0.0, 3]},
    {"done": [-1, 0, 3]}, {"done": [True, 3]}, {"done": [0, 10 ** 30]}, {"sha256": None},
    {"sha256": {"0": 5}}, {"shard": True}, {"shard": 3}, {"chunk_size": 0}, {"key": None},
], ids=str)
def test_a_damaged_or_edited_shard_manifest_is_foreign_not_a_crash(tmp_path, edit):
    """Wrong JSON shapes in a manifest: one line naming the file (was: TypeError/ValueError)."""
    write_shard(tmp_path / "a", Shard(1, 2))
    write_shard(tmp_path / "b", Shard(2, 2))
    path = tmp_path / "a" / "checkpoint" / "shard-1-of-2.json"
    path.write_text(json.dumps({**json.loads(path.read_text()), **edit}))
    with pytest.raises(InputError) as caught:
        gather_shards(tmp_path, key_of, 11)
    assert f"foreign {path} (not a liqbt shard manifest, or damaged)" in str(caught.value)
    assert "missing chunks 0, 2 of 4 (shards 1/2)" in str(caught.value)


def test_a_damaged_chunk_is_named_at_its_shard_when_merged(tmp_path):
    """A chunk whose sha256 matches its manifest but is not a chunk (damaged when it was made,
    or a hand-made manifest): one line naming the shard's file, before anything is adopted."""
    store = write_shard(tmp_path / "a", Shard(1, 1))
    bad = store.chunk_path(1)
    bad.write_bytes(b"PAR1 not parquet")
    manifest = json.loads(store.manifest_path.read_text())
    manifest["sha256"]["1"] = hashlib.sha256(bad.read_bytes()).hexdigest()
    store.manifest_path.write_text(json.dumps(manifest))
    target = SweepCheckpoint(tmp_path / "out", key_of(3), 11, 3)
    target.open(resume=False)
    with pytest.raises(InputError, match=f"{bad}: not a readable chunk file .*rerun that shard"):
        target.adopt(gather_shards(tmp_path / "a", key_of, 11).files)


def test_shards_computed_into_one_folder_keep_each_others_chunks(tmp_path):
    """A second shard started fresh in the folder of the first removes only its own chunks
    (it used to delete every chunk file, leaving the first shard's manifest listing none)."""
    write_shard(tmp_path, Shard(1, 2))
    write_shard(tmp_path, Shard(2, 2))
    gathered = gather_shards(tmp_path, key_of, 11)
    assert sorted(gathered.files) == [0, 1, 2, 3] and gathered.shards == 2


def test_a_merge_folder_that_is_a_file_is_said_as_such(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(InputError, match="file: not a folder"):
        manifest_paths(tmp_path / "file")

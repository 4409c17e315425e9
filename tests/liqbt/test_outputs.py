"""Output folders: checked and locked before any work, built beside, swapped in only when complete."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from feeds.errors import InputError
from liqbt import outputs
from liqbt.output_lock import MARKER, OutputBusy
from liqbt.outputs import output_folder, recover


def _write_run(folder: Path, pages: dict[str, str]) -> None:
    for name, text in pages.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)


def _files(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != MARKER and p.suffix != ".lock"}


def _publish(out: Path, pages: dict[str, str], command: str = "run") -> None:
    with output_folder(out, command) as staging:
        assert staging.parent == out.parent and staging != out and not out.joinpath("x").exists()
        _write_run(staging, pages)


@pytest.fixture
def out(tmp_path) -> Path:
    folder = tmp_path / "runs" / "q"
    _publish(folder, {"index.html": "old", "summary.json": "{}", "tearsheets/gone.html": "stale"})
    return folder


def test_a_new_folder_appears_complete_with_a_marker_listing_what_the_command_wrote(out):
    assert _files(out) == {"index.html": "old", "summary.json": "{}",
                           "tearsheets/gone.html": "stale"}
    marker = json.loads((out / MARKER).read_text())
    assert marker["command"] == "run" and marker["complete"] is True
    assert marker["entries"] == ["index.html", "summary.json", "tearsheets"]
    assert sorted(os.listdir(out.parent)) == [".q.lock", "q"]  # no staging left beside it


def test_a_new_run_replaces_the_old_one_whole_and_keeps_what_others_put_there(out):
    (out / "notes.txt").write_text("mine")                    # a user's file
    _write_run(out / "sweep", {"sweep.csv": "combos"})         # a nested liqbt output
    (out / "sweep" / MARKER).write_text(json.dumps({"command": "sweep"}))
    old_inode = out.stat().st_ino
    _publish(out, {"index.html": "new", "summary.json": "{1}"})
    assert _files(out) == {"index.html": "new", "summary.json": "{1}", "notes.txt": "mine",
                           "sweep/sweep.csv": "combos"}        # the stale tearsheet is gone
    assert out.stat().st_ino != old_inode
    assert sorted(os.listdir(out.parent)) == [".q.lock", "q"]


def test_a_failed_or_interrupted_command_leaves_the_old_folder_untouched(out):
    before = _files(out)
    for failure in (RuntimeError("boom"), KeyboardInterrupt()):
        with pytest.raises(type(failure)):
            with output_folder(out, "run") as staging:
                _write_run(staging, {"index.html": "half", "returns.csv": "x"})
                raise failure
        assert _files(out) == before
        assert sorted(os.listdir(out.parent)) == [".q.lock", "q"]


def test_without_rename_exchange_the_fallback_renames_old_aside_then_new_in(out, monkeypatch):
    monkeypatch.setattr(outputs, "_exchange", lambda a, b: False)
    (out / "notes.txt").write_text("mine")
    _publish(out, {"index.html": "new"})
    assert _files(out) == {"index.html": "new", "notes.txt": "mine"}
    assert sorted(os.listdir(out.parent)) == [".q.lock", "q"]


def test_a_second_command_on_a_locked_folder_fails_at_once_naming_the_holder(out):
    with output_folder(out, "run"):
        with pytest.raises(OutputBusy, match=rf"{out} is being written by another liqbt command "
                                             rf"\(liqbt run, pid {os.getpid()}, since .*\); wait"):
            with output_folder(out, "run"):
                pass
        with pytest.raises(OutputBusy):  # a command writing inside it must wait too
            with output_folder(out / "sweep", "sweep", stage=False):
                pass
    with output_folder(out / "sweep", "sweep", stage=False) as inside:  # nested: shared lock
        assert inside == out / "sweep" and (inside / MARKER).is_file()
        with pytest.raises(OutputBusy, match=f"{out} is being written by another"):
            with output_folder(out, "run"):
                pass


def test_a_run_and_a_command_inside_its_folder_exclude_each_other_whoever_starts_first(tmp_path):
    """runs/x/sweep written before runs/x ever held a run: the run finds the sweep's lock."""
    folder = tmp_path / "runs" / "x"
    with output_folder(folder / "sweep", "sweep", stage=False):
        with pytest.raises(OutputBusy, match=f"{folder / 'sweep'} is being written by another "
                                             r"liqbt command \(liqbt sweep, pid"):
            with output_folder(folder, "run"):
                pass
    with output_folder(folder, "run"):
        with pytest.raises(OutputBusy, match=f"{folder / 'sweep'} is being written by another "
                                             r"liqbt command \(liqbt run, pid"):
            with output_folder(folder / "sweep", "sweep", stage=False):
                pass
    assert not (tmp_path / ".runs.lock").exists()  # runs/ itself is no output: no lock beside it


@pytest.mark.parametrize("target, message", [
    ("", "--out '' (or '.') is the current folder"),
    ("/", "is the current folder or one of its parents"),
    ("file.txt", "file.txt is a file, not a folder"),
    ("file.txt/sub", "file.txt is a file, not a folder"),
    ("snap/out", "is inside the data snapshot"),
    ("foreign", "holds files liqbt did not write (e.g. 'thesis.docx')"),
    ("runs/q", "holds a `liqbt run` output; write the sweep output to another folder"),
])
def test_unusable_output_locations_are_refused_before_any_work(tmp_path, out, monkeypatch,
                                                               target, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "file.txt").write_text("x")
    (tmp_path / "snap").mkdir()
    (tmp_path / "foreign").mkdir()
    (tmp_path / "foreign" / "thesis.docx").write_text("x")
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        with output_folder(Path(target), "sweep", {"the data snapshot": tmp_path / "snap"}):
            pytest.fail("the command must not start")


def test_leftovers_of_a_killed_command_are_sorted_out_by_the_next_one(out):
    before = _files(out)
    # killed mid-run: an incomplete staging folder
    half = out.parent / ".q.staging-1-abc"
    _write_run(half, {"index.html": "half"})
    # killed between carrying the old folder's foreign entries over and the exchange
    done = out.parent / ".q.staging-2-def"
    _write_run(done, {"index.html": "new", "notes.txt": "mine"})
    (done / MARKER).write_text(json.dumps({"command": "run", "complete": True,
                                           "entries": [MARKER, "index.html"]}))
    recover(out, "run")
    assert _files(out) == {**before, "notes.txt": "mine"}
    assert sorted(os.listdir(out.parent)) == [".q.lock", "q"]
    # killed between renaming the old folder aside and the new one in: the complete one wins
    os.rename(out, out.parent / ".q.previous")
    recover(out, "run")
    assert _files(out) == {**before, "notes.txt": "mine"}


def test_a_folder_holding_only_nested_liqbt_outputs_takes_a_run(tmp_path):
    """`liqbt sweep` first (runs/x/sweep), then `liqbt run` into runs/x: the sweep is kept."""
    folder = tmp_path / "runs" / "x"
    with output_folder(folder / "sweep", "sweep", stage=False) as sweep:
        (sweep / "sweep.csv").write_text("combos")
    legacy = folder / "signals"  # written before markers existed: known by its file names
    _write_run(legacy, {"signals.csv": "s", "signals.html": "<html>"})
    _publish(folder, {"index.html": "run"})
    assert _files(folder) == {"index.html": "run", "sweep/sweep.csv": "combos",
                              "signals/signals.csv": "s", "signals/signals.html": "<html>"}


def test_a_symbolic_link_loop_is_refused_as_such(tmp_path):
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    with pytest.raises(InputError, match="is a symbolic link that leads back to itself"):
        with output_folder(tmp_path / "a", "run"):
            pytest.fail("the command must not start")

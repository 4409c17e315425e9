"""The job summary in CI: appended to $GITHUB_STEP_SUMMARY, never past GitHub's 1 MiB a step."""

from __future__ import annotations

from liqbt.cli.step_summary import STEP_SUMMARY_LIMIT, append_step_summary


def test_nothing_happens_outside_ci(tmp_path):
    assert append_step_summary("# hi\n", tmp_path / "x.md", environ={}) is None


def test_summaries_are_appended_after_what_the_job_wrote(tmp_path):
    target = tmp_path / "step.md"
    env = {"GITHUB_STEP_SUMMARY": str(target)}
    assert append_step_summary("## one\n", tmp_path / "one.md", environ=env) == target
    append_step_summary("## two", tmp_path / "two.md", environ=env)
    assert target.read_text() == "## one\n\n## two\n"


def test_a_long_summary_is_cut_at_a_line_to_stay_under_1_mib(tmp_path):
    target = tmp_path / "step.md"
    target.write_text("x" * (STEP_SUMMARY_LIMIT - 5000) + "\n")
    warnings = []
    rows = "".join(f"| row {i} | ü |\n" for i in range(2000))
    append_step_summary(rows, tmp_path / "full.md", warnings.append,
                        {"GITHUB_STEP_SUMMARY": str(target)})
    written = target.read_bytes()
    assert STEP_SUMMARY_LIMIT - 200 < len(written) <= STEP_SUMMARY_LIMIT < 1024 * 1024
    tail = written.decode().splitlines()
    assert tail[-1] == (f"*(cut to stay under GitHub's 1 MiB step-summary limit; all of it is in "
                        f"`{tmp_path / 'full.md'}`)*")
    assert tail[-3].startswith("| row ") and tail[-3].endswith(" | ü |")
    append_step_summary("more " * 1000, tmp_path / "more.md", warnings.append,
                        {"GITHUB_STEP_SUMMARY": str(target)})
    assert target.read_bytes() == written and "is full" in warnings[-1]


def test_a_job_summary_that_is_no_regular_file_is_one_warning_not_a_hang(tmp_path):
    """A folder or a FIFO (opening one for writing blocks until a reader comes): warned, the
    command's own outputs and exit code untouched."""
    import os

    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for target in (fifo, tmp_path):
        warnings = []
        assert append_step_summary("# s\n", tmp_path / "s.md", warnings.append,
                                   {"GITHUB_STEP_SUMMARY": str(target)}) is None
        assert warnings == [f"could not append to GITHUB_STEP_SUMMARY {target} (not a regular "
                            f"file); the summary is in {tmp_path / 's.md'}"]


def test_the_cut_note_cannot_be_broken_by_a_path_with_a_backtick(tmp_path):
    from liqbt.cli.step_summary import fit_to

    note = fit_to("x\n" * 300, 400, tmp_path / "a`b<i>" / "full.md").splitlines()[-1]
    assert note.endswith(f"all of it is in {tmp_path}/a\\`b&lt;i&gt;/full.md)*")

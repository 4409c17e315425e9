"""CLI numbers take their config field's bounds (`liqbt.cli.options.config_bounded`): the same
limits as the YAML, NaN and infinity refused with the field named, one line, exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.liqbt.cli.test_sweep import run_main

QUICKSTART = str(Path(__file__).resolve().parents[3] / "liqbt" / "configs" / "quickstart.yaml")


@pytest.mark.parametrize("args, says", [
    (("run", QUICKSTART, "--timeout", "nan"), "'--timeout': nan is not a finite number; give a "
     "number (as data.timeout_s in a config)"),
    (("run", QUICKSTART, "--timeout", "-inf"), "'--timeout': -inf is not a finite number"),
    (("run", QUICKSTART, "--timeout", "0"), "'--timeout': 0.0: input should be greater than 0"),
    (("run", QUICKSTART, "--timeout", "1e9"), "input should be less than or equal to 3600"),
    (("event-study", QUICKSTART, "--after", "1000000"), "'--after': Input should be less than or equal to 750"),
    (("sweep", QUICKSTART, "--chunk", "0"), "'--chunk': Input should be greater than or equal to 1"),
])
def test_cli_numbers_are_bounded_like_their_config_fields(monkeypatch, capsys, args, says):
    code, lines = run_main(monkeypatch, capsys, *args)
    assert code == 2 and len(lines) == 1, lines
    assert lines[0].startswith("liqbt: error: Invalid value for ") and says in lines[0], lines


def test_help_shows_the_bounds(monkeypatch, capsys):
    monkeypatch.setattr("sys.argv", ["liqbt", "run", "--help"])
    from liqbt.cli import main

    with pytest.raises(SystemExit):
        main()
    assert "[x<=3600]" in capsys.readouterr().out

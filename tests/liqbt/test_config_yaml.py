"""Hostile or careless config files: each is one line naming the file, the line and the field."""

from __future__ import annotations

import codecs
import re
import subprocess
import sys
from pathlib import Path

import pytest

from liqbt.config import ConfigError, load_config
from liqbt.config_yaml import MAX_CONFIG_BYTES, MAX_DEPTH

REPO = Path(__file__).resolve().parents[2]
GOOD = """\
name: t
data: {start: 2010-01-04}
universe: {equities: SPY, treasuries: IEF}
strategies:
  - name: mix
    rule: fixed_weights
    params: {weights: {equities: 0.6, treasuries: 0.4}}
"""


def one_problem(tmp_path: Path, content: str | bytes) -> str:
    path = tmp_path / "config.yaml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert len(caught.value.lines) == 1, caught.value.lines
    line = caught.value.lines[0]
    assert line.startswith(str(path)) and "\n" not in line
    return line.removeprefix(str(path))


@pytest.mark.parametrize("case", ["latin1", "utf16", "utf16_no_bom", "utf32", "binary"])
def test_text_that_is_not_utf8_is_named_not_decoded(tmp_path, case):
    content = {"latin1": GOOD.replace("name: t", "name: caf\u00e9").encode("latin-1"),
               "utf16": GOOD.encode("utf-16"), "utf16_no_bom": GOOD.encode("utf-16-le"),
               "utf32": GOOD.encode("utf-32"),
               "binary": b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 4}[case]
    line = one_problem(tmp_path, content)
    expected = {"latin1": ":1: not UTF-8 text (byte 0xe9", "utf16": ":1: the file is UTF-16",
                "utf16_no_bom": ":1: UTF-16 text without a byte-order mark",
                "utf32": ":1: the file is UTF-32", "binary": ": a binary file, not YAML"}[case]
    assert expected in line and "save" in line


def test_a_utf8_byte_order_mark_is_fine(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(codecs.BOM_UTF8 + GOOD.encode())
    assert load_config(path).name == "t"


@pytest.mark.parametrize("text, where", [
    ("name: t\nname: u\n" + GOOD.split("\n", 1)[1], ":2: name: key 'name' appears twice"),
    (GOOD.replace("treasuries: 0.4}", "treasuries: 0.4, equities: 0.5}"),
     ":7: strategies.0.params.weights.equities: key 'equities' appears twice"),
    (GOOD + "    rule: buy_and_hold\n", ":8: strategies.0.rule: key 'rule' appears twice"),
    (GOOD.replace("{start: 2010-01-04}", "{start: 2010-01-04, start: 2011-01-03}"),
     ":2: data.start: key 'start' appears twice in this mapping (also on line 2)"),
])
def test_a_duplicated_key_at_any_level_is_refused_with_its_line(tmp_path, text, where):
    assert one_problem(tmp_path, text).startswith(where)


def test_a_merge_key_override_is_not_a_duplicate(tmp_path):
    path = tmp_path / "merge.yaml"
    path.write_text(GOOD + "costs: {<<: {fees_bps: 1, slippage_bps: 1}, fees_bps: 2}\n")
    assert load_config(path).costs.fees_bps == 2


@pytest.mark.parametrize("text, where", [
    (GOOD.replace("2010-01-04", "2026-02-30"), ":2: data.start: '2026-02-30' is not a valid"),
    (GOOD + "execution: {lag_days: !!int 1.5}\n",
     ":8: execution.lag_days: '1.5' is not a valid int"),
])
def test_a_value_yaml_cannot_construct_names_its_field(tmp_path, text, where):
    assert one_problem(tmp_path, text).startswith(where)


@pytest.mark.parametrize("case", ["deep", "recursive", "aliases", "large"])
def test_pathological_structure_is_refused_before_anything_walks_it(tmp_path, case):
    text = {"deep": GOOD + "report: {title: " + "[" * 50_000 + "]" * 50_000 + "}\n",
            "recursive": GOOD + "report: &r {title: *r}\n",
            "aliases": GOOD + "".join(f"x{i}: &x{i} [{', '.join([f'*x{i - 1}'] * 10)}]\n"
                                      for i in range(1, 7)).replace("*x0", "1"),
            "large": GOOD + "#" * MAX_CONFIG_BYTES}[case]
    expected = {"deep": "nested too deeply", "recursive": "contains itself",
                "aliases": "expands to more than", "large": "larger than 1024 KiB"}[case]
    assert expected in one_problem(tmp_path, text)


def test_nesting_deeper_than_the_limit_names_the_field(tmp_path):
    text = GOOD + "report: " + "{a: " * (MAX_DEPTH + 5) + "1" + "}" * (MAX_DEPTH + 5) + "\n"
    line = one_problem(tmp_path, text)
    assert f"nested more than {MAX_DEPTH} levels deep" in line and "report.a.a." in line


@pytest.mark.parametrize("value, shown", [(".nan", "nan"), ("-.inf", "-inf"), ("1e400", "'1e400'"),
                                          ("'nan'", "'nan'"), ("1.0e+400", "inf")])
def test_nan_and_infinity_are_refused_in_any_numeric_field(tmp_path, value, shown):
    for text, field in (
            (GOOD.replace("equities: 0.6", f"equities: {value}"),
             ":7: strategies.0.params.weights.equities: "),
            (GOOD + f"costs: {{fees_bps: {value}}}\n", ":8: costs.fees_bps: "),
            (GOOD + f"risk_free: {{annual: {value}}}\n", ":8: risk_free.annual: "),
            (GOOD + f"signals: {{r: {{fn: liquidity_regime, params: {{expand_z: {value}}}}}}}\n",
             ":8: signals.r.params.expand_z: "),
            (GOOD + f"sweep: {{strategy: mix, grid: {{x: [0.1, {value}]}}}}\n",
             ":8: sweep.grid.x.1: ")):
        line = one_problem(tmp_path, text)
        assert line.startswith(field) and f"{shown} is not a finite number" in line, line


def test_control_characters_and_long_values_are_escaped_and_cut(tmp_path):
    value = "eq\\nuities\\e[2J" + "A" * 5000
    line = one_problem(tmp_path, GOOD.replace("rule: fixed_weights", "rule: buy_and_hold").replace(
        "{weights: {equities: 0.6, treasuries: 0.4}}", f'{{sleeve: "{value}"}}'))
    assert "\\n" in line and "\\x1b[2J" in line and "\x1b" not in line
    assert len(line) < 500 and re.search(r"\.\.\. \(5,0\d\d characters\)", line)


def test_mistyped_names_are_the_schema_check_s_not_a_crash(tmp_path):
    for text in (GOOD + "benchmark: [a]\n", GOOD + "signals: {a: {fn: [x]}}\n",
                 GOOD.replace("rule: fixed_weights", "rule: {a: 1}"),
                 GOOD + "verdict: {claims: [{id: 1, test: backtest, strategy: [x], benchmark: mix}]}\n",
                 GOOD + "event_study: {sleeves: [[a]]}\n",
                 GOOD + "sweep: {strategy: [1], grid: {x: [1]}}\n"):
        path = tmp_path / "typed.yaml"
        path.write_text(text)
        with pytest.raises(ConfigError) as caught:
            load_config(path)
        assert all("\n" not in line for line in caught.value.lines)


@pytest.mark.parametrize("content, expected", [
    (GOOD.replace("equities: 0.6", "equities: .nan"), "is not a finite number"),
    ("name: t\n" + GOOD, "key 'name' appears twice"),
    (GOOD.replace("name: t", "name: caf\u00e9").encode("latin-1"), "not UTF-8 text"),
])
def test_the_cli_says_one_line_and_exits_2(tmp_path, content, expected):
    path = tmp_path / "bad.yaml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    done = subprocess.run([sys.executable, "-m", "liqbt", "validate", str(path)], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and expected in done.stderr, done.stderr


@pytest.mark.parametrize("text, where", [
    (GOOD.replace("equities: 0.6", "equities: yes"), ":7: strategies.0.params: weights.equities: "),
    (GOOD + "costs: {fees_bps: on}\n", ":8: costs: fees_bps: "),
    (GOOD + "execution: {lag_days: true}\n", ":8: execution: lag_days: "),
])
def test_a_yes_no_value_where_a_number_is_expected_is_refused_not_read_as_1(tmp_path, text, where):
    line = one_problem(tmp_path, text)
    assert line.startswith(where) and "a yes/no value" in line and "write the number" in line


def test_yes_no_values_stay_fine_where_the_field_is_yes_no(tmp_path):
    path = tmp_path / "flags.yaml"
    path.write_text(GOOD.replace("{start: 2010-01-04}", "{start: 2010-01-04, quality: "
                                 "{known_events: off}}") + "report: {tearsheets: no}\n")
    config = load_config(path)
    assert config.report.tearsheets is False and config.data.quality.known_events is False

"""Config validation: every problem is one line naming file, line, field path and what is allowed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from liqbt.config import ConfigError, load_config

REPO = Path(__file__).resolve().parents[2]
GOOD = """\
name: t
data: {start: 2010-01-04, end: 2012-12-31}
universe: {equities: SPY, gold: {ticker: GLD}}
signals:
  regime: {fn: liquidity_regime, params: {weeks: 4}}
strategies:
  - name: alloc
    rule: liquidity_regime
    params:
      regime_signal: regime
      weights: {neutral: {equities: 0.5, gold: 0.5}}
  - {name: spy, rule: buy_and_hold, rebalance: once, params: {sleeve: equities}}
benchmark: spy
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(text)
    return path


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    return caught.value.lines


def test_good_config_loads(tmp_path):
    config = load_config(write(tmp_path, GOOD))
    assert config.universe["gold"].ticker == "GLD" and config.execution.lag_days == 1


def test_misspelt_key_names_file_line_path_and_allowed_keys(tmp_path):
    (line,) = problems(tmp_path, GOOD.replace("data: {start", "data: {strat"))
    assert line.startswith(f"{tmp_path / 'config.yaml'}:2: data.strat: unknown key 'strat'")
    assert "allowed keys here: snapshot, start, end" in line


def test_unknown_sleeve_in_rule_params_is_pointed_at(tmp_path):
    (line,) = problems(tmp_path, GOOD.replace("{equities: 0.5, gold: 0.5}", "{equities: 0.5, gld: 0.5}"))
    assert "strategies.0.params.weights.neutral.gld: unknown sleeve 'gld'" in line
    assert "the universe has: equities, gold" in line and ":11:" in line


def test_end_before_start(tmp_path):
    (line,) = problems(tmp_path, GOOD.replace("end: 2012-12-31", "end: 2009-12-31"))
    assert "data: end 2009-12-31 is not after start 2010-01-04" in line


def test_signal_params_unknown_signal_fn_and_lag_are_checked(tmp_path):
    text = (GOOD.replace("params: {weeks: 4}", "params: {weeks: 4, z_wks: 9}")
            .replace("benchmark: spy", "benchmark: spy\nexecution: {lag_days: 0}"))
    lines = problems(tmp_path, text)
    assert any("signals.regime.params.z_wks: unknown key 'z_wks'" in line and "z_weeks" in line
               for line in lines)
    assert any("execution.lag_days: Input should be greater than or equal to 1" in line for line in lines)


def test_invalid_yaml_reports_the_line(tmp_path):
    (line,) = problems(tmp_path, GOOD.replace("name: t", "name: [t"))
    assert "invalid YAML" in line


def _cli(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "liqbt", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def test_validate_cli_prints_one_line_per_problem_and_exits_2(tmp_path):
    bad = (GOOD.replace("data: {start", "data: {strat").replace("end: 2012-12-31", "end: 2009-01-01")
           .replace("{equities: 0.5, gold: 0.5}", "{equities: 0.5, gld: 0.5}"))
    path = write(tmp_path, bad.replace("{strat: 2010-01-04, end: 2009-01-01}",
                                       "{strat: 2010-01-04, start: 2010-01-04, end: 2009-01-01}"))
    done = _cli("validate", str(path))
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert "Traceback" not in done.stderr
    assert len(lines) == 3
    assert any("data.strat: unknown key" in line for line in lines)
    assert any("end 2009-01-01 is not after start" in line for line in lines)
    assert any("unknown sleeve 'gld'" in line for line in lines)
    done = _cli("validate", str(write(tmp_path, GOOD.replace("gold: 0.5}", "gld: 0.5}"))))
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1
    assert "unknown sleeve 'gld'" in done.stderr


def test_validate_cli_ok_and_missing_file(tmp_path):
    assert _cli("validate", "liqbt/configs/quickstart.yaml").returncode == 0
    done = _cli("validate", str(tmp_path / "missing.yaml"))
    assert done.returncode == 2 and "config file not found" in done.stderr
    assert "Traceback" not in done.stderr


def test_grids_too_large_to_build_are_refused_when_the_config_is_read(tmp_path):
    """Counted at config time, for the sweep grid and for each claim's grid (claims keep every
    combination's daily returns in memory, so their limit is much lower)."""
    from liqbt.config_checks import MAX_CLAIM_GRID
    from strategies.grid import MAX_GRID_COMBINATIONS

    axis = "[" + ", ".join(f"{0.001 * i:.3f}" for i in range(101)) + "]"
    text = (REPO / "liqbt" / "configs" / "article.yaml").read_text()
    head, sweep = text.split("\nsweep:\n", 1)
    rest = sweep[sweep.index("\n  metric:"):]
    big = (f"{head}\nsweep:\n  strategy: gold\n  grid: {{base_weight: {axis}, overweight: {axis}, "
           f"rising_above: {axis}}}{rest}")
    lines = problems(tmp_path, big)
    assert len(lines) == 1
    assert (f"sweep.grid: the sweep grid has 1,030,301 combinations (101 base_weight x 101 "
            f"overweight x 101 rising_above); at most {MAX_GRID_COMBINATIONS:,}") in lines[0]
    claim = text.replace("grid: {overweight: [0.2, 0.3, 0.4], rising_above: [0.0, 0.5, 1.0]}",
                         f"grid: {{overweight: {axis}, rising_above: {axis}}}")
    assert claim != text
    lines = problems(tmp_path, claim)
    assert len(lines) == 1 and "this claim's grid has 10,201 combinations" in lines[0]
    assert f"at most {MAX_CLAIM_GRID:,}" in lines[0]


RISK_FREE = GOOD.replace("benchmark: spy\n", "benchmark: spy\nrisk_free: {sleeve: gold}\n")


def test_risk_free_is_a_sleeve_or_a_constant_and_old_keys_get_a_one_line_migration(tmp_path):
    assert load_config(write(tmp_path, RISK_FREE)).risk_free.sleeve == "gold"
    (line,) = problems(tmp_path, RISK_FREE.replace("{sleeve: gold}", "{sleeve: bills}"))
    assert line.endswith("risk_free.sleeve: unknown sleeve 'bills'; the universe has: equities, "
                         "gold")
    (line,) = problems(tmp_path, RISK_FREE.replace("{sleeve: gold}", "{sleeve: gold, annual: 0.02}"))
    assert "risk_free: give either annual or sleeve, not both" in line
    (line,) = problems(tmp_path, GOOD + "report: {risk_free_annual: 0.02}\n")
    assert line.endswith("report: risk_free_annual has moved: write it as the top-level section "
                         "`risk_free: {annual: RATE}` (or `risk_free: {sleeve: cash}` for T-bills)")


VERDICT = GOOD + """verdict:
  claims:
    - id: 1
      test: backtest
      strategy: alloc
      benchmark: spy
      specifications:
        - {name: lean, params: {fallback: neutral}, signals: {regime: {expand_z: 1.0, drain_z: -1.0}}}
"""


def test_specifications_are_checked_against_the_rule_and_the_signals_they_change(tmp_path):
    assert len(load_config(write(tmp_path, VERDICT)).verdict.claims[0].specifications) == 1
    lines = problems(tmp_path, VERDICT.replace("expand_z: 1.0", "expand_z: -2.0").replace(
        "fallback: neutral", "regime_signal: nope").replace("benchmark: spy\n      spec",
                                                             "benchmark: spy\n      spec"))
    assert any("specifications.0.signals.regime: drain_z (-1.0) must be below expand_z" in line
               for line in lines), lines
    assert any("specifications.0.params: unknown signal 'nope'" in line for line in lines), lines
    (line,) = problems(tmp_path, VERDICT.replace("{name: lean,", "{name: lean, grid: {wat: [1]},"))
    assert "specifications.0.grid.wat: unknown grid parameter of rule liquidity_regime" in line
    (line,) = problems(tmp_path, GOOD + "verdict: {risk_free_sleeve: cash, claims: []}\n")
    assert "verdict: risk_free_sleeve has moved: the verdict uses the run's top-level" in line


def test_a_risk_free_sleeve_that_is_no_name_is_one_line_not_two(tmp_path):
    (line,) = problems(tmp_path, RISK_FREE.replace("{sleeve: gold}", "{sleeve: 5}"))
    assert line.endswith("risk_free.sleeve: Input should be a valid string")


def test_a_cluster_timeout_python_cannot_wait_for_is_refused(tmp_path):
    """threading's waits overflow ('timestamp out of range') far below 1e300 seconds."""
    from tests.sweep_fixtures import SWEEP_CONFIG

    (line,) = problems(tmp_path, SWEEP_CONFIG.replace("  chunk: 5\n",
                                                      "  chunk: 5\n  cluster_timeout_s: 1e300\n"))
    assert "sweep.cluster_timeout_s: Input should be less than or equal to 604800" in line


def _gold_verdict(spec: str) -> str:
    from tests.sweep_fixtures import SWEEP_CONFIG

    return SWEEP_CONFIG + f"""verdict:
  claims:
    - id: 2
      test: backtest
      strategy: gold
      benchmark: risk_free
      grid: {{overweight: [0.2, 0.4]}}
      specifications:
        - {spec}
"""


@pytest.mark.parametrize("spec, message", [
    ("{name: wide, grid: {base_weight: [" + ", ".join(str(i / 100) for i in range(100))
     + "], rising_above: [" + ", ".join(str(i / 10) for i in range(11)) + "]}}",
     "specifications.0.grid: this specification's grid has 2,200 combinations (2 overweight x "
     "100 base_weight x 11 rising_above); at most 1,000"),
    ("{name: empty-axis, grid: {base_weight: []}}",
     "specifications.0.grid.base_weight: List should have at least 1 item"),
    ("{name: " + "a" * 65 + "}", "specifications.0.name: String should have at most 64"),
    ('{name: two-lines, about: "one\\ntwo"}', "about must be one line of printable text"),
    ("{name: dup}\n        - {name: dup}", "specification names must be unique: dup appear(s)"),
])
def test_specifications_are_bounded_one_line_each(tmp_path, spec, message):
    """A specification's grid is the claim's with its axes replaced: counted (it was not, so a
    10^6 grid was built per specification); names and abouts are short single lines (pages)."""
    lines = problems(tmp_path, _gold_verdict(spec))
    assert len(lines) == 1 and message in lines[0], lines


def test_a_claim_holds_at_most_100_specifications(tmp_path):
    specs = "\n        - ".join(f"{{name: s{i}, rebalance: weekly}}" for i in range(101))
    (line,) = problems(tmp_path, _gold_verdict(specs))
    assert "specifications: List should have at most 100 items" in line

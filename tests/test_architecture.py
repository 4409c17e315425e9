"""The five rooms import only leftward: feeds <- signals <- strategies <- backtests <- reports.

The CLI (`backtests/cli.py` and the command modules it registers, `backtests/cli_*.py`) is the
one wiring layer allowed to reach the reports room.
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ROOMS = ["feeds", "signals", "strategies", "backtests", "reports"]
WIRING = {Path("backtests/cli.py")} | {path.relative_to(REPO)
                                        for path in (REPO / "backtests").glob("cli_*.py")}


def imported_rooms(path: Path) -> set[str]:
    rooms = set()
    for node in ast.walk(ast.parse(path.read_text())):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        rooms |= {name.split(".")[0] for name in names if name.split(".")[0] in ROOMS}
    return rooms


def test_rooms_import_only_leftward():
    violations = []
    for position, room in enumerate(ROOMS):
        allowed = set(ROOMS[: position + 1])
        for path in sorted((REPO / room).rglob("*.py")):
            relative = path.relative_to(REPO)
            if relative in WIRING:
                continue
            wrong = imported_rooms(path) - allowed
            if wrong:
                violations.append(f"{relative} imports {sorted(wrong)}")
    assert violations == []


def test_modules_stay_small():
    too_long = [f"{p.relative_to(REPO)}: {n}" for room in ROOMS for p in (REPO / room).rglob("*.py")
                if (n := len(p.read_text().splitlines())) > 450]
    assert too_long == []

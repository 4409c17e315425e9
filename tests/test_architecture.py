"""The house rules: the five rooms import only leftward (feeds <- signals <- strategies <-
backtests <- reports) and never the application package `liqbt`, which may import every room.
No exemptions. Modules stay small, and backtests/ keeps few modules at its top level.
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ROOMS = ["feeds", "signals", "strategies", "backtests", "reports"]
APPLICATION = "liqbt"
PACKAGES = ROOMS + [APPLICATION]


def imported_packages(path: Path) -> set[str]:
    """Top-level liqbt packages a module imports (absolute imports, lazy ones inside functions
    included)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        found |= {name.split(".")[0] for name in names if name.split(".")[0] in PACKAGES}
    return found


def test_rooms_import_only_leftward_and_never_the_application():
    violations = []
    for position, room in enumerate(ROOMS):
        allowed = set(ROOMS[: position + 1])
        for path in sorted((REPO / room).rglob("*.py")):
            wrong = imported_packages(path) - allowed
            if wrong:
                violations.append(f"{path.relative_to(REPO)} imports {sorted(wrong)}")
    assert violations == []


def test_the_checker_sees_a_violation(tmp_path):
    """The rule above can fail: a lazy import of the application inside a function is caught."""
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from liqbt.config import RunConfig\n    import reports.pages\n")
    assert imported_packages(module) == {"liqbt", "reports"}


def test_no_relative_imports():
    """Relative imports would slip past the room check."""
    relative = [f"{p.relative_to(REPO)}:{node.lineno}" for package in PACKAGES
                for p in (REPO / package).rglob("*.py")
                for node in ast.walk(ast.parse(p.read_text()))
                if isinstance(node, ast.ImportFrom) and node.level > 0]
    assert relative == []


def test_modules_stay_small():
    too_long = [f"{p.relative_to(REPO)}: {n}" for package in PACKAGES
                for p in (REPO / package).rglob("*.py")
                if (n := len(p.read_text().splitlines())) > 400]
    assert too_long == []


def test_backtests_is_split_by_concept():
    top_level = sorted(p.name for p in (REPO / "backtests").glob("*.py"))
    assert len(top_level) <= 12, top_level
    for package in ("backtests/sweep", "backtests/verdict"):
        init = REPO / package / "__init__.py"
        assert ast.get_docstring(ast.parse(init.read_text())), f"{package} needs a docstring"

"""Sweep fixtures (tests/sweep_fixtures.py)."""

from tests.sweep_fixtures import (  # noqa: F401  (fixtures)
    small_sweep, sweep_config_path, sweep_inputs,
)

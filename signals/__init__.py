"""signals — information on the trading calendar.

Each signal is a pure function of a `feeds.panel.PointInTimePanel`, registered by name with typed
parameters, returning a Series indexed by the panel's sessions whose value at t is known at t's close.
Importing this package registers every built-in signal.
"""

from signals import regime, repo, reserves  # noqa: F401  (registration side effect)
from signals.registry import SIGNALS, compute_signal, get_signal, signal

__all__ = ["SIGNALS", "compute_signal", "get_signal", "signal"]

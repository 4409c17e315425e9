"""signals — information on the trading calendar.

Each signal is a pure function of a `feeds.panel.PointInTimePanel`, registered by name with typed
parameters, returning a Series indexed by the panel's sessions whose value at t is known at t's close.
Importing this package registers every built-in signal; `liqbt signals --list` prints them.
"""

from signals import (  # noqa: F401  (registration side effect)
    calendar_flags, curve, net_liquidity, policy, purchases, regime, repo, repo_stress, reserves,
    srf, volatility,
)
from signals.config import SignalSection
from signals.registry import (
    SIGNALS, compute_signal, compute_signals, describe_params, get_signal, signal,
)

__all__ = ["SIGNALS", "SignalSection", "compute_signal", "compute_signals", "describe_params",
           "get_signal", "signal"]

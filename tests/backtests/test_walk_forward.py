"""Walk-forward: windows tile, the embargo is kept, and selection never sees test data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from backtests.metrics import summary_metrics
from backtests.walk_forward import plan_windows, score_columns, walk_forward


def regime_returns(seed: int = 0, sessions: int = 900, combos: int = 12) -> np.ndarray:
    """Noise where the best combination changes every 150 sessions."""
    rng = np.random.default_rng(seed)
    returns = rng.normal(0, 0.01, (sessions, combos))
    for block, start in enumerate(range(0, sessions, 150)):
        returns[start:start + 150, (3 * block) % combos] += 0.005
    return returns


def test_windows_tile_the_sample_when_step_equals_test():
    windows = plan_windows(1000, train=250, test=60, embargo=5)
    assert windows[0] == (0, 250, 256, 316)     # decided at close 249, traded at 250 (lag 1)
    for (a, b, c, d), (a2, _, c2, _) in zip(windows, windows[1:]):
        assert b - a == 250 and c - b == 6      # train length, embargo + lag
        assert d == c2 and a2 - a == 60         # next test starts where this one stops
    assert windows[-1][3] == 1000


def test_overlapping_and_gapped_steps():
    overlapping = plan_windows(500, train=100, test=50, step=20)
    assert all(d - c == 20 for _, _, c, d in overlapping[:-1])   # newer selection takes over
    gapped = plan_windows(500, train=100, test=20, step=50)
    assert all(d - c == 20 for _, _, c, d in gapped[:-1])
    assert gapped[1][2] - gapped[0][3] == 30                      # untraded gap


def test_stitched_oos_is_the_chosen_columns_on_their_test_windows():
    returns = regime_returns()
    result = walk_forward(returns, train=150, test=50, embargo=3)
    expected = np.concatenate([returns[w.test_start:w.test_stop, w.chosen]
                               for w in result.windows])
    assert np.array_equal(result.oos_returns, expected)
    assert np.array_equal(result.oos_positions, np.arange(154, 900))
    assert result.out_of_sample == pytest.approx(summary_metrics(expected), nan_ok=True)
    for window in result.windows:
        scores = score_columns(returns[window.train_start:window.train_stop], "sharpe")
        assert window.chosen == int(np.argmax(scores))
        assert window.test_start - window.train_stop == 3 + 1     # embargo + lag


def test_selection_never_sees_data_after_its_train_window():
    """Truncation-style: rewrite everything after a window's train end -- noise, plus a
    column gaining 1,000% a day on the next ten sessions, which any peek would pick -- and its
    choice, and every earlier one, stands."""
    returns = regime_returns(seed=1)
    settings = {"train": 120, "test": 40, "embargo": 2, "select": "total_return"}
    baseline = walk_forward(returns, **settings)
    rng = np.random.default_rng(99)
    later_changed = 0
    for j, window in enumerate(baseline.windows):
        altered = returns.copy()
        altered[window.train_stop:] = rng.normal(0.002, 0.03, altered[window.train_stop:].shape)
        altered[window.train_stop:window.train_stop + 10, (window.chosen + 1) % 12] = 10.0
        rerun = walk_forward(altered, **settings)
        assert [w.chosen for w in rerun.windows[: j + 1]] == \
            [w.chosen for w in baseline.windows[: j + 1]]
        later_changed += any(w.chosen != v.chosen
                             for w, v in zip(rerun.windows[j + 1:], baseline.windows[j + 1:]))
    # ...while the same rewrite does move later choices, so the check has teeth.
    assert later_changed == len(baseline.windows) - 1


def test_callable_source_is_asked_for_train_rows_before_test_rows():
    returns = regime_returns(seed=2)
    calls = []

    def returns_for(start: int, stop: int) -> np.ndarray:
        calls.append((start, stop))
        return returns[start:stop]

    from_callable = walk_forward(returns_for, train=100, test=50, embargo=10, n_sessions=900)
    from_array = walk_forward(returns, train=100, test=50, embargo=10)
    assert [w.chosen for w in from_callable.windows] == [w.chosen for w in from_array.windows]
    for window, (train_call, test_call) in zip(from_callable.windows,
                                                zip(calls[::2], calls[1::2])):
        assert train_call == (window.train_start, window.train_stop)
        assert test_call == (window.test_start, window.test_stop)


def test_regime_changes_are_tracked_and_in_sample_beats_out_of_sample():
    returns = regime_returns(seed=3)
    result = walk_forward(returns, train=100, test=50, select="total_return")
    assert result.in_sample["sharpe"] > result.out_of_sample["sharpe"]
    # A train window inside one regime picks that regime's winner.
    assert [w.chosen for w in result.windows if w.train_start % 150 == 0] == [0, 3, 6, 9, 0, 3]


def test_dataframe_input_keeps_dates_and_volatility_selects_the_calmest():
    sessions = pd.bdate_range("2020-01-01", periods=300)
    rng = np.random.default_rng(5)
    frame = pd.DataFrame(rng.normal(0, 0.01, (300, 3)) * np.array([1.0, 0.2, 3.0]),
                         index=sessions)
    result = walk_forward(frame, train=100, test=50, select="volatility")
    assert {w.chosen for w in result.windows} == {1}
    assert result.oos_series().index[0] == sessions[101]
    assert result.table()["test_from"].iloc[0] == sessions[101]


def test_the_chosen_combination_never_earns_the_session_after_the_deciding_close():
    """A selection made at the close of the train window's last session trades `lag` sessions
    later, so its first credited return is `lag` sessions after the train window."""
    for lag in (1, 2, 5):
        (window,) = plan_windows(400, train=300, test=100, lag=lag)[:1]
        assert window[2] == 300 + lag


def test_refuses_windows_that_do_not_fit():
    with pytest.raises(ValueError, match="no walk-forward window fits"):
        walk_forward(np.zeros((50, 2)), train=60, test=10)
    with pytest.raises(ValueError, match="unknown selection metric"):
        walk_forward(np.zeros((50, 2)), train=20, test=10, select="turnover")

"""Numba kernels: many target-weight paths through vectorbt's from_orders arithmetic at once.

`simulate_combo_nb` replays, for one combination, exactly what
`vectorbt.Portfolio.from_orders(size_type="targetpercent", group_by=True, cash_sharing=True,
call_seq="auto", price=close, val_price=close)` (vectorbt 1.2.0, numba engine) does, and then
values the book the way `Portfolio.value()` / `returns()` rebuild it from the order records:

- at an order row the group value is computed once, before any order, as
  cash + sum(position * last valuation price), the valuation price being the close carried
  forward over NaN closes (`ffill_val_price`);
- orders are sorted by approximate order value (target value - current holding value) with
  vectorbt's stable insertion argsort (NaN last), so sells release cash before buys;
- each order goes through `execute_order_nb`'s rules: cash and position snapped to 0 within
  1e-12, NaN size or NaN close means no order, buys limited by cash via `is_close_or_less_nb`,
  fees on notional, slippage against the trader, sums through vectorbt's `add_nb`;
- the reported value is record cash (init + per-row sum of order cash flows, `add_nb`) plus
  sum(position * close carried forward), and returns are (v_t - v_{t-1}) / v_{t-1} with v_{-1}
  the initial cash, as in `vectorbt.returns.nb.returns_nb`.

The tolerance helpers (`add_nb`, `is_close_nb`, `insert_argsort_nb`) are vectorbt's own; the
order arithmetic is restated inline because calling vectorbt's `execute_order_nb` per order
(namedtuple states) gave bit-identical results at ~60% of the speed (8.0k vs 13.8k combinations/s
on one core, W1-like work). Tests hold the replica to `backtests.engine.simulate`.

Long-only target weights (>= 0) are assumed: shorting would add debt bookkeeping vectorbt keeps
but this kernel does not need for long books. The pandas-facing API is `backtests.sweep.simulate`.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange
from vectorbt.utils.array_ import insert_argsort_nb
from vectorbt.utils.math_ import add_nb, is_close_nb, is_close_or_less_nb

from backtests.metrics_nb import summary_metrics_nb


@njit(cache=True)
def _snap_zero_nb(x):
    """vectorbt's numerical-stability step: values within 1e-12 of zero become zero."""
    return 0.0 if is_close_nb(x, 0.0) else x


@njit(cache=True)
def rebalance_nb(i, targets, close, close_ffill, position, order_value, call_seq, cash_flow,
                 fees, slippage, cash, record_cash):
    """The orders of one session (row i) with target weights `targets` (S,); `position` is
    updated in place. Returns (cash, record_cash, traded notional)."""
    n_sleeves = position.shape[0]
    # Group value once per segment, positions valued at the carried-forward close.
    group_value = cash
    for s in range(n_sleeves):
        if position[s] != 0:
            group_value += position[s] * close_ffill[i, s]
    for s in range(n_sleeves):
        order_value[s] = targets[s] * group_value - position[s] * close_ffill[i, s]
        call_seq[s] = s
        cash_flow[s] = 0.0
    insert_argsort_nb(order_value, call_seq)
    snapped_value = _snap_zero_nb(group_value)
    traded = 0.0
    for k in range(n_sleeves):
        s = call_seq[k]
        cash = _snap_zero_nb(cash)
        held = _snap_zero_nb(position[s])
        position[s] = held
        target = targets[s]
        price = close[i, s]
        if np.isnan(target) or np.isnan(price) or np.isnan(snapped_value) or snapped_value <= 0:
            continue
        order_size = target * snapped_value
        order_size /= close_ffill[i, s]
        order_size -= held
        if order_size > 0:
            # buy_nb: limited by cash, fees on top of notional
            if cash == 0:
                continue
            fill_price = price * (1 + slippage)
            req_cash = order_size * fill_price
            req_fees = req_cash * fees + 0.0
            total_req_cash = req_cash + req_fees
            if is_close_or_less_nb(total_req_cash, cash):
                fill_size = order_size
                fees_paid = req_fees
                spent = total_req_cash
            else:
                max_req_cash = add_nb(cash, -0.0) / (1 + fees)
                if max_req_cash <= 0:
                    continue
                fill_size = max_req_cash / fill_price
                fees_paid = cash - max_req_cash
                spent = cash
            if is_close_nb(order_size, 0.0):
                continue
            cash = add_nb(cash, -spent)
            position[s] = add_nb(held, fill_size)
            cash_flow[s] = add_nb(0.0, -fill_size * fill_price - fees_paid)
        else:
            # sell_nb: proceeds net of fees
            fill_size = -order_size
            if is_close_nb(fill_size, 0.0):
                continue
            fill_price = price * (1 - slippage)
            acquired = fill_size * fill_price
            fees_paid = acquired * fees + 0.0
            proceeds = add_nb(acquired, -fees_paid)
            if proceeds < 0:
                continue
            cash = cash + proceeds
            position[s] = add_nb(held, -fill_size)
            cash_flow[s] = add_nb(0.0, fill_size * fill_price - fees_paid)
        traded += abs(fill_size * fill_price)
    row_flow = 0.0
    for s in range(n_sleeves):
        row_flow += cash_flow[s]
    return cash, add_nb(record_cash, row_flow), traded


@njit(cache=True)
def simulate_combo_nb(close, close_ffill, close_value, order_slot, weights, fees, slippage,
                      init_cash, returns_out, traded_out):
    """One combination over the backtest window; fills daily returns and traded fractions.

    close        (n, S) window closes, NaN where an instrument has no price (no order then)
    close_ffill  (n, S) closes carried forward within the window, NaN before the first close
    close_value  (n, S) close_ffill with NaN as 0: what Portfolio.asset_value multiplies (a flat
                 sleeve adds +-0.0, which leaves the sum bit-for-bit unchanged)
    order_slot   (n,)   row of `weights` whose targets execute at this session, -1 for none
    weights      (R, S) target weights of this combination, NaN = no order for that sleeve
    Returns the final portfolio value.
    """
    n, n_sleeves = close.shape
    position = np.zeros(n_sleeves)
    order_value = np.empty(n_sleeves)
    call_seq = np.empty(n_sleeves, dtype=np.int64)
    cash_flow = np.empty(n_sleeves)
    cash = init_cash          # the simulator's cash
    record_cash = init_cash   # cash as Portfolio.cash() rebuilds it from order records
    previous_value = init_cash
    value = init_cash
    for i in range(n):
        slot = order_slot[i]
        traded = 0.0
        if slot >= 0:
            cash, record_cash, traded = rebalance_nb(
                i, weights[slot], close, close_ffill, position, order_value, call_seq,
                cash_flow, fees, slippage, cash, record_cash)
        holdings = 0.0
        for s in range(n_sleeves):
            holdings += position[s] * close_value[i, s]
        value = record_cash + holdings
        returns_out[i] = (value - previous_value) / previous_value
        traded_out[i] = traded / value if slot >= 0 and value > 0 else 0.0
        previous_value = value
        if slot >= 0:
            # Leftovers within 1e-12 of zero vanish at the next session's bookkeeping.
            cash = _snap_zero_nb(cash)
            record_cash = add_nb(record_cash, 0.0)
            for s in range(n_sleeves):
                position[s] = _snap_zero_nb(position[s])
    return value


@njit(cache=True, parallel=True)
def sweep_nb(close, close_ffill, close_value, order_slot, weights, fees, slippage, init_cash,
             rf_daily, keep_slot, metrics_out, final_value_out, returns_keep_out):
    """Simulate every combination of `weights` (K, R, S) in parallel and summarise each.

    metrics_out      (K, 8) the metrics of `backtests.metrics.METRIC_NAMES`
    final_value_out  (K,)   final portfolio value
    keep_slot        (K,)   row of `returns_keep_out` (n_keep, n) to copy this combo's daily
                            returns into, or -1
    rf_daily         (n,)   daily risk-free returns the Sharpe and Sortino are in excess of
    Memory per combination in flight: three length-n buffers; nothing of size n x K.
    """
    n_combos = weights.shape[0]
    n = close.shape[0]
    for k in prange(n_combos):
        returns = np.empty(n)
        traded = np.empty(n)
        scratch = np.empty(n)
        final_value_out[k] = simulate_combo_nb(close, close_ffill, close_value, order_slot,
                                               weights[k], fees, slippage, init_cash, returns,
                                               traded)
        summary_metrics_nb(returns, traded, True, rf_daily, scratch, metrics_out[k])
        if keep_slot[k] >= 0:
            returns_keep_out[keep_slot[k], :] = returns

"""backtests — P&L, and what can honestly be said about it.

    engine          target weights -> vectorbt `Portfolio.from_orders` (the system of record)
    metrics         the summary metrics of daily returns (252-day years); `metrics_nb` their kernels
    results         a run's spec and results as plain typed data (`run_strategies`)
    walk_forward    train/test windows, selection in-sample, stitched out-of-sample returns
    overfitting     deflated Sharpe ratio, probability of backtest overfitting (CSCV)
    event_study     sleeve paths around Fed announcements
    config          the sections this room consumes: costs, execution, walk-forward, event study
    sweep/          parameter grids streamed through a numba replica of vectorbt, checkpointed
    verdict/        the article's claims judged out of sample by explicit thresholds

Imports only feeds, signals and strategies; pages are the reports room's job.
"""

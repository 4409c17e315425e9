"""The typer app: every command group registered (`liqbt.cli.main` runs it).

One module per command group: `run` (run, validate), `signals` (signals, events), `sweep`,
`event_study` (event-study), `data` (fetch, data list). Commands import the rooms lazily so
`liqbt --help` answers quickly.
"""

from __future__ import annotations

import typer

from liqbt.cli import data, event_study, run, signals, sweep

HELP = """liqbt: when the Fed's balance sheet and the money markets change, which cross-asset
allocations paid, and would you have known in time?

\b
Examples:
  liqbt validate liqbt/configs/quickstart.yaml
  liqbt run liqbt/configs/quickstart.yaml --out /tmp/q   # the bundled snapshot (or your cache)
  liqbt run liqbt/configs/quickstart.yaml --snapshot DIR # a snapshot directory (LIQBT_SNAPSHOT)
  liqbt fetch liqbt/configs/quickstart.yaml      # fill the cache online
  liqbt run liqbt/configs/quickstart.yaml        # then run from the cache
"""

app = typer.Typer(help=HELP, no_args_is_help=True, add_completion=False,
                  pretty_exceptions_enable=False, rich_markup_mode=None)
run.register(app)           # liqbt validate, liqbt run
signals.register(app)       # liqbt signals, liqbt events
data.register(app)          # liqbt fetch, liqbt data list
sweep.register(app)         # liqbt sweep
event_study.register(app)   # liqbt event-study

"""liqbt — the application on top of the five rooms.

    feeds/ -> signals/ -> strategies/ -> backtests/ -> reports/     (rooms: import only leftward)

This package is the only code that knows the YAML file, the terminal and every room:

    config          the YAML file -> one composed `RunConfig` (each section a room's own model)
    config_checks   one line per problem: file:line: field.path: what is wrong; what is allowed
    data_needs      which series and tickers a config reads, found by tracing
    run             orchestration: config -> panel -> signals -> backtests -> pages
    cli/            the `liqbt` command: one module per command group
    configs/        the shipped example configs (quickstart, article, instruments)
"""

"""Options shared by several commands, and the one way commands talk on stderr."""

from __future__ import annotations

import math
import types
import typing
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from feeds.config import DataSection


def config_bounded(model: type[BaseModel], field: str, *flags: str, **option: Any) -> Any:
    """A typer option overriding config field `model.field`, with that field's bounds: the same
    min/max in --help and at parse time, and the field's own validator (exclusive bounds, no NaN
    or infinity), so an option can never ask for what the config file may not."""
    info = model.model_fields[field]
    annotation = info.annotation
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        annotation = next(arg for arg in typing.get_args(annotation) if arg is not type(None))
    low = next((m.ge for m in info.metadata if getattr(m, "ge", None) is not None), None)
    high = next((m.le for m in info.metadata if getattr(m, "le", None) is not None), None)
    adapter = TypeAdapter(Annotated[annotation, *info.metadata],
                          config=ConfigDict(allow_inf_nan=False))

    def check(value: Any) -> Any:
        if value is None:
            return value
        where = f"as {model.__name__.removesuffix('Section').lower()}.{field} in a config"
        if isinstance(value, float) and not math.isfinite(value):  # before the bounds: NaN
            raise typer.BadParameter(f"{value} is not a finite number; give a number ({where})")
        try:
            adapter.validate_python(value)
        except ValidationError as exc:
            raise typer.BadParameter(f"{value}: {exc.errors()[0]['msg'].lower()} ({where})"
                                     ) from None
        return value

    if annotation is float:  # click's range check would run first and misread NaN as too big
        shown_range = "x" if low is None else f"{low:g}<=x"
        shown_range += "" if high is None else f"<={high:g}"
        if low is not None or high is not None:
            option["help"] = f"{option.get('help', '')}  [{shown_range}]".strip()
        return typer.Option(None, *flags, callback=check, **option)
    return typer.Option(None, *flags, min=low, max=high, callback=check, **option)


ConfigArg = typer.Argument(..., help="YAML run config", show_default=False, metavar="CONFIG")
SnapshotOpt = typer.Option(None, "--snapshot", envvar="LIQBT_SNAPSHOT",
                           help="snapshot directory (fred/, other/, prices/); env LIQBT_SNAPSHOT")
CacheDirOpt = typer.Option(None, "--cache-dir", envvar="LIQBT_CACHE_DIR",
                           help="parquet cache [$XDG_CACHE_HOME/liqbt]; env LIQBT_CACHE_DIR")
TimeoutOpt = config_bounded(DataSection, "timeout_s", "--timeout", help="seconds per online "
                            "series/ticker, retries included [env LIQBT_TIMEOUT, data.timeout_s, "
                            "30]")


def status(message: str) -> None:
    """A progress line on stderr (stdout is for results); a closed pipe (`2>&1 | head`) does not
    fail the command: progress is not worth losing a run for."""
    try:
        typer.echo(f"liqbt: {message}", err=True)
    except OSError:
        pass


def data_folders(snapshot: Path | None, config, config_path: Path, cache_dir: Path | None
                 ) -> dict[str, Path | None]:
    """The folder a command reads its data from (the snapshot, else the cache), which its --out
    must stay out of."""
    from feeds.cache import resolve_cache_dir
    from liqbt.run import resolve_snapshot

    folder = resolve_snapshot(snapshot, config, config_path)
    if folder is not None:
        return {"the data snapshot": folder}
    return {"the data cache": resolve_cache_dir(cache_dir)}

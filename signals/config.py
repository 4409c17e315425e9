"""The `signals:` config section: each entry names a registered signal and its parameters.

    signals:
      regime: {fn: liquidity_regime}
      reserves_z: {fn: reserves_change_z, params: {weeks: 4, z_weeks: 52}}

The parameters stay a mapping here; they are validated against the signal's own parameter model
(`signals.get_signal(fn).params`) by the application, which reports the exact field path.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from feeds.schema import ConfigModel


class SignalSection(ConfigModel):
    fn: str = Field(description="registered signal function (see `liqbt signals --list`)")
    params: dict[str, Any] = Field(default_factory=dict)

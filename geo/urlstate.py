"""The app's view as URL query parameters, so that a view can be shared as a link.

Pure functions, tested without Streamlit: `ViewState.from_params` tolerates anything a user
may paste (unknown values fall back to the defaults) and `to_params` writes only what differs
from them, which keeps links short.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from typing import Literal

from geo.views import LAYERS

Mode = Literal["as_of", "range"]
By = Literal["layer", "claimant", "subject"]


@dataclass(frozen=True)
class ViewState:
    mode: Mode = "as_of"
    date: str = ""
    start: str = ""
    end: str = ""
    factions: tuple[str, ...] = LAYERS
    by: By = "layer"
    outlets: tuple[str, ...] | None = None  # None: all
    types: tuple[str, ...] | None = None  # None: all
    place: str | None = None
    tiles: bool = False
    firm: bool = False  # leave out claims the text hedges as unconfirmed or a rumour

    @classmethod
    def from_params(cls, params: Mapping[str, str], defaults: ViewState) -> ViewState:
        """Read a view from query parameters; anything unreadable keeps its default."""
        state = defaults
        if params.get("mode") in ("as_of", "range"):
            state = replace(state, mode=params["mode"])  # type: ignore[arg-type]
        for key in ("date", "start", "end"):
            if _is_date(params.get(key)):
                state = replace(state, **{key: params[key]})
        if params.get("by") in ("layer", "claimant", "subject"):
            state = replace(state, by=params["by"])  # type: ignore[arg-type]
        if "factions" in params:
            state = replace(state, factions=tuple(f for f in _split(params["factions"]) if f in LAYERS))
        for key in ("outlets", "types"):
            if key in params:
                state = replace(state, **{key: tuple(_split(params[key]))})
        if params.get("place"):
            state = replace(state, place=params["place"])
        for key in ("tiles", "firm"):
            if key in params:
                state = replace(state, **{key: params[key] == "1"})
        return state

    def to_params(self, defaults: ViewState) -> dict[str, str]:
        out = {}
        for f in fields(self):
            value, default = getattr(self, f.name), getattr(defaults, f.name)
            if value == default or value is None:
                continue
            if isinstance(value, tuple):
                out[f.name] = ",".join(value)
            elif isinstance(value, bool):
                out[f.name] = "1" if value else "0"
            else:
                out[f.name] = str(value)
        return out

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _split(value: str) -> list[str]:
    return [v for v in value.split(",") if v]


def _is_date(value: str | None) -> bool:
    if not value:
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True

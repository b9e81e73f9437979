"""The app's view as URL query parameters, so that a view can be shared as a link.

Pure functions, tested without Streamlit: `ViewState.from_params` tolerates anything a user
may paste (unusable values fall back to the defaults, each with a note for the page to show) and
`to_params` writes only what differs from them, which keeps links short.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import asdict, dataclass, fields, replace
from typing import Literal

from geo.claims.sides import LAYERS
from geo.days import DayError, message, parse_day
from geo.web.mapstate import BASES, MAX_ZOOM, MIN_ZOOM, OVERLAYS, near, valid_centre

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
    articles: tuple[str, ...] | None = None  # documents; None: all
    cites: tuple[str, ...] | None = None  # outlets cited (`geo.claims.tables.NO_CITES`: none); None: all
    types: tuple[str, ...] | None = None  # None: all
    place: str | None = None
    tiles: bool = False
    firm: bool = False  # leave out claims the text hedges as unconfirmed or a rumour
    # The map's view (see geo.web.mapstate.MapView): centre (lat, lon), zoom, hidden overlays, base layer.
    center: tuple[float, float] | None = None
    zoom: int | None = None
    hide: tuple[str, ...] = ()
    base: str = BASES[0]
    claim: str | None = None  # a claim's permalink: its card is shown beside the map

    @classmethod
    def from_params(
        cls,
        params: Mapping[str, str],
        defaults: ViewState,
        *,
        outlets: Collection[str],
        types: Collection[str],
        places: Collection[str],
        articles: Collection[str] = (),
        cites: Collection[str] = (),
        claims: Mapping[str, tuple[str, str]] | None = None,
    ) -> tuple[ViewState, list[str]]:
        """Read a view from query parameters, and a note for each value that was not used.

        A link may be old, cut short or made up, so nothing in it can be trusted: a date must lie
        within [defaults.start, defaults.end] (the claims' span), outlets, articles, cited outlets,
        types and the place must be among those given, and anything else keeps its default, with a note saying so.

        A `claim` (a permalink) must be among `claims`, which give each claim's place and public
        date: it opens the map at them, as of that date, unless the link names a place or date.
        """
        state, notes = defaults, []

        def ignore(key: str, reason: str, kept: Sequence[str] = ()) -> None:
            """`kept`: the values of the parameter that do count, when only some are ignored."""
            done = f" Kept {', '.join(repr(v) for v in kept)}." if kept else ""
            notes.append(f"Ignored {key}={params[key]!r} in the link: {reason}.{done}")

        if "mode" in params:
            match params["mode"]:
                case "as_of" | "range" as mode:
                    state = replace(state, mode=mode)
                case _:
                    ignore("mode", "choose as_of or range")
        first, last = defaults.start, defaults.end
        dates = {"date": state.date, "start": state.start, "end": state.end}
        for key in dates:
            if key not in params:
                continue
            day = _date(params[key])
            if day is None:
                ignore(key, message(params[key]))
            elif not first <= day.isoformat() <= last:
                ignore(key, f"outside the claims' dates, {first} to {last}")
            else:
                dates[key] = day.isoformat()
        state = replace(state, date=dates["date"], start=dates["start"], end=dates["end"])
        if state.start > state.end:
            notes.append(f"Ignored start={state.start!r} and end={state.end!r} in the link: start is after end.")
            state = replace(state, start=defaults.start, end=defaults.end)
        if "by" in params:
            match params["by"]:
                case "layer" | "claimant" | "subject" as by:
                    state = replace(state, by=by)
                case _:
                    ignore("by", "choose layer, claimant or subject")
        chosen: dict[str, tuple[str, ...]] = {}
        filters = (
            ("factions", LAYERS),
            ("outlets", outlets),
            ("articles", articles),
            ("cites", cites),
            ("types", types),
        )
        for key, known in filters:
            if key not in params:
                continue
            # An empty value is a choice (nothing selected); unknown values are dropped, and if
            # nothing known is left, the default stands.
            values = _split(params[key])
            kept = tuple(v for v in values if v in known)
            if len(kept) < len(values):
                ignore(key, f"unknown {', '.join(repr(v) for v in values if v not in known)}", kept)
            if kept or not values:
                chosen[key] = kept
        state = replace(
            state,
            factions=chosen.get("factions", state.factions),
            outlets=chosen.get("outlets", state.outlets),
            articles=chosen.get("articles", state.articles),
            cites=chosen.get("cites", state.cites),
            types=chosen.get("types", state.types),
        )
        if "place" in params:
            if params["place"] in places:
                state = replace(state, place=params["place"])
            else:
                ignore("place", "no such place in the gazetteer")
        if "center" in params:
            parts = params["center"].split(",")
            lat, lon = (_number(p) for p in parts) if len(parts) == 2 else (None, None)
            if lon is not None and valid_centre(lat, lon):
                state = replace(state, center=(lat, lon))
            else:
                ignore("center", "write latitude,longitude in degrees, e.g. 35.35,69.6")
        if "zoom" in params:
            zoom = _number(params["zoom"])
            if zoom is not None and MIN_ZOOM <= zoom <= MAX_ZOOM and zoom == int(zoom):
                state = replace(state, zoom=int(zoom))
            else:
                ignore("zoom", f"write a whole number from {MIN_ZOOM} to {MAX_ZOOM}")
        if "hide" in params:
            values = _split(params["hide"])
            kept = tuple(v for v in OVERLAYS if v in values)
            if len(kept) < len(set(values)):
                ignore("hide", f"unknown {', '.join(repr(v) for v in values if v not in OVERLAYS)}", kept)
            state = replace(state, hide=kept)
        if "base" in params:
            if params["base"] in BASES:
                state = replace(state, base=params["base"])
            else:
                ignore("base", f"choose {', '.join(BASES)}")
        if "claim" in params:
            if params["claim"] in (claims or {}):
                place, public = (claims or {})[params["claim"]]
                state = replace(state, claim=params["claim"])
                if "place" not in params:
                    state = replace(state, place=place)
                if "date" not in params and "mode" not in params:
                    state = replace(state, mode="as_of", date=max(first, min(public, last)))
            else:
                ignore("claim", "no such claim on the map")
        switches = {"tiles": state.tiles, "firm": state.firm}
        for key in switches:
            if key in params:
                if params[key] in ("0", "1"):
                    switches[key] = params[key] == "1"
                else:
                    ignore(key, "write 0 or 1")
        state = replace(state, tiles=switches["tiles"], firm=switches["firm"])
        return state, notes

    def to_params(self, defaults: ViewState) -> dict[str, str]:
        out = {}
        for f in fields(self):
            value, default = getattr(self, f.name), getattr(defaults, f.name)
            if f.name == "center" and value is not None:
                if default is not None and near(value, default, self.zoom or MAX_ZOOM):
                    continue  # a map resized in the page drifts by a pixel; that is no move
                value = f"{value[0]:.4f},{value[1]:.4f}"  # ~10 m: finer than a reader pans, and short
            if value == default or value is None:
                continue
            if isinstance(value, tuple):
                out[f.name] = ",".join(value)
            elif isinstance(value, bool):
                out[f.name] = "1" if value else "0"
            else:
                out[f.name] = str(value)
        return out

    def file_stem(self, prefix: str, defaults: ViewState, *, selected: bool = False) -> str:
        """A file name (without suffix) for a download of this view: the date or dates and each
        filter that differs from `defaults`, so that a folder of downloads explains itself; with
        `selected`, the place chosen, for a file that shows it (the map). The chosen place is no
        filter: a claims file named for it would hold every place's claims.

        >>> view = ViewState(date="2021-09-06", place="bazarak", factions=("taliban", "nrf"))
        >>> view.file_stem("panjshir-claims", ViewState(date="2021-09-07"))
        'panjshir-claims_2021-09-06_taliban-nrf'
        >>> view.file_stem("panjshir-map", ViewState(date="2021-09-07"), selected=True)
        'panjshir-map_2021-09-06_taliban-nrf_selected-bazarak'
        """
        parts = [prefix]
        parts.append(self.date if self.mode == "as_of" else f"{self.start}_to_{self.end}")
        if self.factions != defaults.factions:
            parts.append("-".join(self.factions) or "no-factions")
        if self.by != defaults.by:
            parts.append(f"by-{self.by}")
        for name in ("outlets", "articles", "cites", "types"):
            chosen = getattr(self, name)
            if chosen is not None and chosen != getattr(defaults, name):
                parts.append(f"{name}-{'-'.join(chosen) or 'none'}")
        if self.firm:
            parts.append("firm")
        if selected and self.place:
            parts.append(f"selected-{self.place}")
        stem = "_".join(_slug(p) for p in parts if p)
        return stem[:150].rstrip("_-")

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _slug(text: str) -> str:
    """Letters, digits, dots and hyphens only: safe in a file name on every system."""
    return re.sub(r"[^a-z0-9.]+", "-", text.lower()).strip("-")


def _split(value: str) -> list[str]:
    return [v for v in value.split(",") if v]


def _number(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


def _date(value: str) -> dt.date | None:
    try:
        return parse_day(value)
    except DayError:
        return None

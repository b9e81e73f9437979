"""The claims page's filters as one widget whose every change the map draws at once.

A Streamlit widget changes the map only through a run of the whole page, and Streamlit's frontend
renders the page again before the map's new layers are drawn: a faction removed in a multiselect
took 0.3-0.4 s to leave the map on the bundled data and 0.6 s at 100,000 claims, over the 0.3 s
goal (bench/README.md). These filters are a custom component instead (Streamlit's components v2,
in the page itself, not in a frame): on a change it asks the map to fetch and draw the layers
with the new choice (`window.daySteps.filter`, `geo.web.mapelements.DaySteps`, from the route
the day buttons use), then sets its value, which runs the page; that run brings the same layers,
which the map leaves alone. Where the map cannot (a date range, no route, no map yet) the run
alone draws the change.

Each filter is a `Choice`, named by its session-state key, which is also its link parameter
(`geo.web.urlstate.ViewState`). Values come from the browser: `chosen_value` keeps what the
choice allows and drops the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import streamlit as st

#: The claims map's frame, which the filters ask to draw (streamlit-folium's component).
MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"
#: How long the page's run waits for the map to draw a choice before it starts all the same.
MAP_WAIT_MS = 1000


@dataclass(frozen=True)
class Choice:
    """One filter: check boxes (several values), a radio group (one) or a switch (on or off).

    `all_is_default`: every box ticked is the link's default, written as no parameter at all
    (outlets and claim types: a new outlet in the store is then in the view too)."""

    key: str
    label: str
    kind: Literal["boxes", "radio", "switch"]
    options: Sequence[tuple[str, str]] = ()
    help: str = ""
    all_is_default: bool = False


_HTML = "<div class='filters'></div>"

#: The component's browser code and style, beside this file: Streamlit takes a file's path only
#: for a component of an installed package that declares an asset folder (`asset_dir`), which
#: these pages are not, so the text is read here.
_JS = Path(__file__).with_name("filters.js").read_text(encoding="utf-8")
_CSS = Path(__file__).with_name("filters.css").read_text(encoding="utf-8")

_filters = st.components.v2.component("panjshir_filters", html=_HTML, css=_CSS, js=_JS)


def chosen_value(choice: Choice, value: object) -> object:
    """What the browser sent for `choice`, as the choice allows it; None if nothing usable (the
    filter then stays as it was). Boxes: the known values, once each, in the choice's order."""
    known = [v for v, _ in choice.options]
    if choice.kind == "switch":
        return value if isinstance(value, bool) else None
    if choice.kind == "radio":
        return value if isinstance(value, str) and value in known else None
    if not isinstance(value, list | tuple):
        return None
    named = {v for v in value if isinstance(v, str)}
    return [v for v in known if v in named]


def quick_filters(
    choices: Sequence[Choice],
    chosen: dict[str, object],
    *,
    key: str,
    on_change: Callable[[str, object], None],
) -> None:
    """Draw the filters with `chosen` (by each choice's key); `on_change(key, value)` gets each
    change the reader makes, checked (`chosen_value`), before the run it causes."""

    def changed(choice: Choice) -> None:
        value = chosen_value(choice, st.session_state[key].get(choice.key))
        if value is not None:
            on_change(choice.key, value)

    _filters(
        key=key,
        data={
            "choices": [
                {
                    "key": c.key,
                    "label": c.label,
                    "kind": c.kind,
                    "options": [list(o) for o in c.options],
                    "help": c.help,
                    "all_is_default": c.all_is_default,
                    "chosen": chosen[c.key],
                }
                for c in choices
            ],
            "map": MAP_FRAME,
            "wait_ms": MAP_WAIT_MS,
        },
        default={c.key: chosen[c.key] for c in choices},
        height="content",
        **{f"on_{c.key}_change": (lambda c=c: changed(c)) for c in choices},
    )

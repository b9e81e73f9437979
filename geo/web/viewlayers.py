"""A view's claims and its map layers: one computation, for the page's run and for the map itself.

The claims page draws the map's layers in each run; the map's own day buttons (`DaySteps`), and
the sidebar's filters through them, fetch another day's or choice's from the server
(`views/layers.py`) and swap them in at once, before the page's run. Both go through here, from a
`ViewState`, so that the run after a step brings the very layers the map has shown already,
which streamlit-folium then leaves alone. No Streamlit here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TypedDict
from urllib.parse import urlencode

import folium
import pandas as pd

from geo.claims.sides import LAYERS
from geo.claims.tables import cited_outlets, filter_by_faction, filter_claims, in_range, public_by
from geo.places.gazetteer import Gazetteer
from geo.web.mapview import claims_layers
from geo.web.urlstate import ViewState

#: The server's route for a day's layers (`views/layers.py`, added by serve.py).
ROUTE = "/api/map-layers"
#: The link's parameters a view's layers depend on: the route reads them, with the date.
LAYER_PARAMS = ("factions", "by", "outlets", "articles", "cites", "types", "place", "firm", "hide")


class Span(TypedDict):
    """What the claims' index offers a view: its days, and the outlets, articles (document and
    `article_key`, in key order), outlets cited and claim types to filter by."""

    first: str
    last: str
    outlets: list[str]
    articles: list[tuple[str, str]]
    cites: list[str]
    types: list[str]


def span(index: pd.DataFrame) -> Span:
    """The slider spans both clocks: events, and the days their claims were made public."""
    keyed = index.groupby("document", observed=True)["article"].first()
    articles = {str(document): str(key) for document, key in keyed.items()}
    return {
        "first": str(index["date_start"].min()),
        "last": max(str(index["date_end"].max()), str(index["made_end"].max())),
        "outlets": sorted(index["outlet"].unique()),
        "articles": sorted(articles.items(), key=lambda a: (a[1], a[0])),
        "cites": cited_outlets(index["cites"]),
        "types": sorted(index["type"].unique()),
    }


def default_view(offer: Span) -> ViewState:
    """The view a link without parameters opens: as of the last day, every claim, and the map
    fitted to the places with claims (no centre or zoom: see `geo.web.mapview.claims_bounds`)."""
    return ViewState(date=offer["last"], start=offer["first"], end=offer["last"])


def view_claims(index: pd.DataFrame, view: ViewState) -> tuple[pd.DataFrame, str]:
    """The claims a view lists (its filters and its date or dates) and the words for its date."""
    selected = filter_by_faction(
        filter_claims(index, outlets=view.outlets, documents=view.articles, cites=view.cites, types=view.types),
        view.factions,
        by=view.by,
    )
    if view.mode == "as_of":
        return public_by(selected, view.date), f"as of {view.date}"
    return in_range(selected, dt.date.fromisoformat(view.start), dt.date.fromisoformat(view.end)), (
        f"{view.start} to {view.end}"
    )


def shown_layers(view: ViewState) -> Sequence[str]:
    """The faction layers a view draws: by the side favoured, the chosen ones; otherwise all of
    them, as a claimant or subject filter can keep claims in any layer."""
    return view.factions if view.by == "layer" else LAYERS


def view_layers(
    view: ViewState,
    claims: pd.DataFrame,
    label: str,
    status: pd.DataFrame,
    gazetteer: Gazetteer,
    steps: dict[str, str] | None = None,
) -> list[folium.FeatureGroup]:
    """The claims layers of a view (`claims_layers`), `claims` and `label` being `view_claims`'s."""
    return claims_layers(
        claims,
        status,
        gazetteer,
        layers=shown_layers(view),
        status_label=label,
        selected=view.place,
        hide=view.hide,
        steps=steps,
    )


def day_steps(view: ViewState, defaults: ViewState, offer: Span) -> dict[str, str] | None:
    """What the map's day buttons need (`geo.web.mapelements.DaySteps`): the layers' day, the
    days there are, and the route and parameters to fetch another day's layers with. None for a
    date range, which the buttons do not step through."""
    if view.mode != "as_of":
        return None
    params = {k: v for k, v in view.to_params(defaults).items() if k in LAYER_PARAMS}
    return {"date": view.date, "first": offer["first"], "last": offer["last"], "url": ROUTE, "query": urlencode(params)}

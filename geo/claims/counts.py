"""How many claims a view holds, by place or by day and by map layer: one count for every part of the page.

The popup, the side panel, the table, the chart and the exports all show numbers of claims; they
disagreed (a popup said 5 where the panel said 3) because the popups counted per marker, and a
marker may stand for several places sharing a point. Every count is now made here, from the
claims a view lists (`geo.web.viewlayers.view_claims`), so that each part of the page shows the
same number for the same place, side and day. The words around a count are here too, as the
popup and the panel say them alike.
"""

from __future__ import annotations

import pandas as pd

from geo.claims.sides import LAYERS, SIDE_BY_ID
from geo.claims.status import STATUS_LABELS


def side_counts(claims: pd.DataFrame, by: str) -> pd.DataFrame:
    """Claims per value of the column `by` (the rows, in sorted order) and map layer (a column
    for each of `LAYERS`, zero where there is none), from a claims table or its `index_frame`.

    >>> claims = pd.DataFrame({"place_id": ["a", "a", "b"], "map_faction": ["nrf", "other", "nrf"]})
    >>> side_counts(claims, "place_id").to_dict("index")
    {'a': {'taliban': 0, 'nrf': 1, 'other': 1}, 'b': {'taliban': 0, 'nrf': 1, 'other': 0}}
    """
    counts = claims.groupby([by, "map_faction"], observed=True).size().unstack(fill_value=0)
    counts = counts.reindex(columns=list(LAYERS), fill_value=0).astype("int64")
    counts.columns = pd.Index(list(LAYERS), name=None)
    return counts.sort_index()


def place_counts(claims: pd.DataFrame) -> pd.DataFrame:
    """`side_counts` by place (`place_id`): what a place's popup and the side panel say."""
    return side_counts(claims, "place_id").rename_axis("place_id")


def place_lines(place_id: str, counts: pd.DataFrame, status: pd.DataFrame, label: str) -> tuple[str, str]:
    """What the popup and the side panel say of a place, as plain text: its claims in the view,
    by side (`counts` is `place_counts` of the claims the view lists; `label` the view's date
    words), and its status (from a `geo.claims.tables` status table: every claim, whatever the
    filters). A place the view lists no claim at has none.

    >>> counts = pd.DataFrame({"taliban": [2], "nrf": [0], "other": [1]}, index=["x"])
    >>> status = pd.DataFrame({"status": ["contested"], "inherited": [False]}, index=["x"])
    >>> place_lines("x", counts, status, "as of 2021-09-06")
    ('3 claims as of 2021-09-06: Taliban 2 · Neither side 1', 'Status: contested')
    >>> place_lines("y", counts, status, "as of 2021-09-06")
    ('0 claims as of 2021-09-06', 'Status: no status')
    """
    row = counts.loc[place_id] if place_id in counts.index else pd.Series(0, index=list(LAYERS))
    total = int(row.sum())
    sides = " · ".join(f"{_short(side)} {int(n)}" for side, n in row.items() if n)
    said = f"{total} claim{'s' if total != 1 else ''} {label}".strip() + (f": {sides}" if sides else "")
    state = str(status["status"].get(place_id, "none"))
    inherited = " (inherited)" if state != "none" and bool(status["inherited"].get(place_id, False)) else ""
    return said, f"Status: {STATUS_LABELS[state]}{inherited}"


def _short(side: object) -> str:
    """A layer's label without its explanation in brackets: "Neither side (fighting…)" is "Neither side"."""
    return SIDE_BY_ID[str(side)].label.split(" (")[0]

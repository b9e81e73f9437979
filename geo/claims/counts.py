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


def count_words(counts: pd.Series | None) -> str:
    """A place's row of `place_counts` in words: the claims, then how many for each side that has
    any. None (a place the view lists no claim at) is no claims.

    >>> count_words(pd.Series({"taliban": 2, "nrf": 0, "other": 1}))
    '3 claims: Taliban 2 · Neither side 1'
    >>> count_words(None)
    '0 claims'
    """
    if counts is None or not counts.sum():
        return "0 claims"
    total = int(counts.sum())
    sides = " · ".join(f"{_short(side)} {int(n)}" for side, n in counts.items() if n)
    return f"{total} claim{'s' if total != 1 else ''}: {sides}"


def _short(side: object) -> str:
    """A layer's label without its explanation in brackets: "Neither side (fighting…)" is "Neither side"."""
    return SIDE_BY_ID[str(side)].label.split(" (")[0]

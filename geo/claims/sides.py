"""The two sides, and the layer of claims that favour neither: ids, labels, colours and shapes.

Everything that names a side reads it here: the claims model (whom a control claim can favour),
the status rule and its lines, the tables, the exports, the map, its legend and chart, and the
CSS of the claim cards (`geo.web.html`), whose colour rules are generated from these values.
Colours are Okabe and Ito's, which stay apart for colour-blind readers; the marker shapes and
outline dashes tell the layers apart without colour at all.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Side:
    """A side, or the layer of claims that favour neither, as the map and the text show it."""

    id: str  #: as the claims files and the URL write it
    label: str
    colour: str  #: CSS hex
    shape: str  #: the marker: triangle, square or circle (`geo.web.mapview`)
    dash: str  #: SVG dash pattern of a claim's outline; "" is solid
    #: Where the marker sits against its place's point (px): apart, so that every side shows there.
    icon_anchor: tuple[int, int]


TALIBAN = Side("taliban", "Taliban", "#D55E00", "triangle", "8 5", (24, 10))
NRF = Side("nrf", "NRF", "#0072B2", "square", "", (-2, 10))
NEITHER = Side("other", "Neither side (fighting, attacks, talks)", "#555555", "circle", "2 4", (11, 22))

#: The two sides whose control of places the claims are about.
SIDES: tuple[str, str] = (TALIBAN.id, NRF.id)
#: Map layers: a claim is drawn in the layer of the side it favours (see `map_faction`).
LAYERS: tuple[str, ...] = (*SIDES, NEITHER.id)
#: Each layer's look, by id.
SIDE_BY_ID: dict[str, Side] = {side.id: side for side in (TALIBAN, NRF, NEITHER)}


def opponent(side: str) -> str:
    return SIDES[1 - SIDES.index(side)]

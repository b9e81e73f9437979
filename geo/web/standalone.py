"""A claims map as one HTML file that works with no server and no network, with a caption that
says what it shows: the date, the filters and the sources behind it.

For sending a view to someone, or keeping it: Leaflet, its CSS and the boundaries are inside the
file (`geo.web.assets.inline_assets`, `build_claims_map(..., inline=True)`); online tiles, if the
reader had them on, stay optional base layers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import folium
from branca.element import Figure

from geo.errors import GeoError
from geo.web.assets import STATIC_URL, inline_assets
from geo.web.html import escape_text
from geo.web.verbatim import Verbatim

_CAPTION_CSS = (
    "<style>.map-caption{position:fixed;left:10px;bottom:24px;z-index:1000;max-width:min(46em,70%);"
    "background:rgba(255,255,255,.92);padding:.4em .7em;border-radius:4px;font:13px/1.4 sans-serif;"
    "box-shadow:0 1px 4px rgba(0,0,0,.3)}.map-caption b{font-size:14px}</style>"
)


def caption_lines(
    *,
    title: str,
    when: str,
    filters: Mapping[str, str],
    sources: Mapping[str, int],
    place: str | None = None,
) -> list[str]:
    """The caption's lines, plain text: what, when, which filters, on whose reporting.

    >>> caption_lines(title="Claims", when="as of 2021-09-06", filters={"factions": "NRF"},
    ...               sources={"TASS": 3, "unknown": 1})
    ['Claims as of 2021-09-06', 'factions: NRF', 'sources: TASS (3 claims), unknown (1 claim)']
    """
    listed = ", ".join(f"{outlet} ({n} claim{'s' if n != 1 else ''})" for outlet, n in sources.items())
    return [
        f"{title} {when}" + (f", selected: {place}" if place else ""),
        "; ".join(f"{name}: {value}" for name, value in filters.items()),
        f"sources: {listed or 'none'}",
    ]


def standalone_html(fmap: folium.Map, caption: Iterable[str], asset_base: str = STATIC_URL) -> str:
    """`fmap` (built with `inline=True`) as one self-contained page, with `caption` over it."""
    lines = [escape_text(line) for line in caption]
    if lines:
        lines[0] = f"<b>{lines[0]}</b>"
    box = f"<div class='map-caption'>{'<br>'.join(lines)}</div>"
    root = fmap.get_root()
    if not isinstance(root, Figure):  # a folium.Map's root is always its page
        raise GeoError("the map has no page to put a caption in; build it with geo.web.mapview")
    root.header.add_child(Verbatim(_CAPTION_CSS), name="caption_css")
    root.html.add_child(Verbatim(box), name="caption")
    return inline_assets(root.render(), asset_base)

"""Folium elements whose rendered HTML and scripts join the page as they are.

Branca's `MacroElement.render` wraps each macro's output, already rendered, in a new
`Element(text)`, which compiles that text as a Jinja template once more. Two things follow:

- any `{{ … }}` or `{% … %}` left in the data would run as template code on the server when the
  map is drawn (`geo.web.html.escape_text` escapes braces for that reason; JSON such as a saved
  map's boundaries is not escaped that way);
- each new session's map paid for a full Jinja compile (lexer, parser, code generator, Python's
  `compile`) of every element's script, twice (the page and streamlit-folium): about a quarter
  of the server's time per new session (py-spy under `bench/sessions.py`, 2026-12-07).

`VerbatimMacro` renders as branca does, but adds the macros' output as `Verbatim` text. Folium's
own map, feature group and layer control take it through the subclasses below, where it sits
just before `MacroElement` in their method order, so their own `render` (headers, links, the
layer control's lists) runs unchanged and only that last step differs.
"""

from __future__ import annotations

import folium
from branca.element import Element, Figure, MacroElement
from folium.elements import ElementAddToElement


class Verbatim(Element):
    """Text that joins the page as it is: no template, nothing read as template code."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: object) -> str:
        return self.text


class VerbatimMacro(MacroElement):
    """A `MacroElement` whose `header`, `html` and `script` macros' output is `Verbatim`."""

    # branca types Element.render as returning the HTML; MacroElement's, which this replaces, returns None.
    def render(self, **kwargs: object) -> None:  # type: ignore[override]
        figure = self.get_root()
        assert isinstance(figure, Figure), "render the map, not one of its elements alone"  # as branca does
        macros = self._template.module.__dict__
        for part in ("header", "html", "script"):
            macro = macros.get(part)
            if macro is not None:
                getattr(figure, part).add_child(Verbatim(macro(self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class _AddTo(ElementAddToElement, VerbatimMacro):
    """A layer's `addTo` line, as folium writes it."""


class _Layer(VerbatimMacro):
    """For folium's layers: `Layer.render` gives each shown layer a new `ElementAddToElement` on
    every render, which would be compiled in turn; it gets the `Verbatim` kind instead."""

    def add_child(self, child: Element, name: str | None = None, index: int | None = None) -> Element:
        if type(child) is ElementAddToElement:
            child = _AddTo(child.element_name, child.element_parent_name)
        return super().add_child(child, name, index)


class Map(folium.Map, VerbatimMacro):
    """`folium.Map`, its script added as it is rendered."""


class FeatureGroup(folium.FeatureGroup, _Layer):
    """`folium.FeatureGroup`, its script added as it is rendered."""


class LayerControl(folium.LayerControl, VerbatimMacro):
    """`folium.LayerControl`, its script added as it is rendered."""


class TileLayer(folium.TileLayer, _Layer):
    """`folium.TileLayer`, its script added as it is rendered."""


# folium types Marker.render as returning None with no arguments; it takes and passes on **kwargs.
class CircleMarker(folium.CircleMarker, VerbatimMacro):  # type: ignore[misc]
    """`folium.CircleMarker`, its script added as it is rendered."""

"""The share button: copies the link to the view shown. Not a page: the claims page places it.

The view already lives in the page's address (`geo.web.urlstate`); the button saves the reader
from finding and copying it. Its browser code is views/share.js.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

_HTML = (
    "<div class='share'><button type='button'>Copy the link to this view</button> "
    "<span class='note' role='status'></span><input type='text' readonly hidden aria-label='Link to this view'></div>"
)
_CSS = """
.share { font-family: inherit; font-size: 0.875rem; display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem; }
.share button { font: inherit; padding: 0.35rem 0.75rem; border: 1px solid rgba(49, 51, 63, 0.2);
    border-radius: 0.5rem; background: var(--st-background-color, #fff); color: inherit; cursor: pointer; }
.share button:hover { border-color: var(--st-primary-color); color: var(--st-primary-color); }
.share input { flex: 1 1 24rem; font: inherit; padding: 0.3rem; }
"""
_share = st.components.v2.component(
    "view_share", html=_HTML, css=_CSS, js=(Path(__file__).with_name("share.js")).read_text(encoding="utf-8")
)


def share_button(key: str) -> None:
    _share(key=key)

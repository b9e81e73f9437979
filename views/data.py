"""The data the Sources and Add-article pages share, loaded once per server start: not a page.

One definition, so one cache: the two pages read the same claim set and the same store, and an
article added on one is listed on the other without a second load of the curated claims.
"""

from __future__ import annotations

import streamlit as st

from geo.claims.model import ClaimSet, load_claims
from geo.store.database import Store


@st.cache_resource
def bundled() -> ClaimSet:
    """The curated claims, their sources and the gazetteer."""
    return load_claims()


@st.cache_resource
def store() -> Store:
    """The store, with the curated claims brought in."""
    db = Store()
    db.load_curated(bundled())
    return db

"""The Streamlit app: `streamlit run app.py`. Pages: the claims map, sources, search, adding an article, the gazetteer.

Only navigation lives here; each page (views/) wires widgets to the `geo` library. The pages
have no icons: Streamlit fetches Material icons from fonts.gstatic.com, which breaks offline use.
"""

from __future__ import annotations

import streamlit as st

from views.admission import first_run_turn

# The sidebar holds the claims map's filters, folded at first so that the map has the window's
# width; the pages are listed across the top, where a folded sidebar cannot hide them.
st.set_page_config(page_title="Panjshir 2021: claims map", layout="wide", initial_sidebar_state="collapsed")
pages = st.navigation(
    position="top",
    pages=[
        st.Page("views/claims.py", title="Claims map", default=True),
        st.Page("views/sources.py", title="Sources"),
        st.Page("views/search.py", title="Search"),
        st.Page("views/ingest.py", title="Add article"),
        st.Page("views/gazetteer.py", title="Gazetteer"),
    ],
)
with first_run_turn():  # new sessions' first runs take turns (views/admission.py)
    pages.run()

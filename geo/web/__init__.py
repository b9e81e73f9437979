"""What the app draws, without Streamlit: Folium maps, page HTML, charts, URL state, offline assets."""

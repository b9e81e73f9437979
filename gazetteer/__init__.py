"""Bundled gazetteer data, shipped in the wheel as package data of `geo_data.gazetteer` (see geo/bundled.py)."""

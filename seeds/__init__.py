"""Bundled seeds data, shipped in the wheel as package data of `geo_data.seeds` (see geo/bundled.py)."""

"""Bundled claims data, shipped in the wheel as package data of `geo_data.claims` (see geo/bundled.py)."""

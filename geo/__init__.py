"""Mapping contested territorial claims from news: gazetteer, name resolution, mentions."""

from geo.errors import GazetteerError, GeoError, ResolveError
from geo.gazetteer import Gazetteer, load_gazetteer
from geo.mentions import Mention, MentionFinder, find_mentions
from geo.places import Place
from geo.resolve import Resolution, Resolver, resolve

__all__ = [
    "Gazetteer",
    "GazetteerError",
    "GeoError",
    "Mention",
    "MentionFinder",
    "Place",
    "Resolution",
    "ResolveError",
    "Resolver",
    "find_mentions",
    "load_gazetteer",
    "resolve",
]

"""Mapping contested territorial claims from news: gazetteer, name resolution, mentions, claims."""

from geo.claims import Claim, ClaimSet, load_claims
from geo.errors import ClaimError, GazetteerError, GeoError, IngestError, ResolveError
from geo.gazetteer import Gazetteer, load_gazetteer
from geo.mentions import Mention, MentionFinder, find_mentions
from geo.places import Place
from geo.resolve import Resolution, Resolver, resolve

__all__ = [
    "Claim",
    "ClaimError",
    "ClaimSet",
    "Gazetteer",
    "GazetteerError",
    "GeoError",
    "IngestError",
    "Mention",
    "MentionFinder",
    "Place",
    "Resolution",
    "ResolveError",
    "Resolver",
    "find_mentions",
    "load_claims",
    "load_gazetteer",
    "resolve",
]

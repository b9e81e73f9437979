"""Mapping contested territorial claims from news: gazetteer, name resolution, mentions, claims."""

from geo.claims.model import Claim, ClaimSet, load_claims
from geo.errors import ClaimError, GazetteerError, GeoError, IngestError, ResolveError
from geo.places.gazetteer import Gazetteer, load_gazetteer
from geo.places.mentions import Mention, MentionFinder, find_mentions
from geo.places.resolve import Resolution, Resolver, resolve
from geo.places.schema import Place

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

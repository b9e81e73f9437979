"""Places: the gazetteer's records and loading, name keys, the resolver, mentions and bearings."""

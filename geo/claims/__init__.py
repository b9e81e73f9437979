"""The claims model and what is derived from it: sources, spatial relations, status, tables, exports."""

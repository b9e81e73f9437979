"""Documents in and reviewed claims out: reading files, the SQLite store, ingest, review, reviewers."""

"""Organisations: each keeps its posts, sources and imports apart from the others'."""

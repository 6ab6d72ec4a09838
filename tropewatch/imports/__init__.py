"""Importing platform exports into the database, resumably, with every post scanned."""

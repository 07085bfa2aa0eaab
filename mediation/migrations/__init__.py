"""Alembic migrations shipped inside the package."""

HEAD = "0014_search_gram_count"
"""The newest revision. A database stamped with it needs no migration, so the program
starts without loading Alembic; a new revision must update this (a test checks it)."""

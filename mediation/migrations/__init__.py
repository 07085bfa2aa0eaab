"""Alembic migrations shipped inside the package."""

HEAD = "0012_stats_summary"
"""The newest revision. A database stamped with it needs no migration, so the program
starts without loading Alembic; a new revision must update this (a test checks it)."""

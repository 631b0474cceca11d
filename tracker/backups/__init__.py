"""Consistent copies of the database, and restoring one (SQLite)."""

"""Signing in and out, and passwords."""

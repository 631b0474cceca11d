"""Cooperation agreements (samverkansavtal): parties, purpose, period, steering group."""

"""Partner organisations and their administration."""

"""Reminders that bring silent work back: the weekly digest, the notices, and each person's choice of what to get."""

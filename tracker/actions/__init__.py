"""Actions (concrete commitments) under an agreement, their progress updates, and when they have stalled."""

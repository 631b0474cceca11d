"""The steering group's page of an agreement: its next meeting and its decisions, applied to the actions."""

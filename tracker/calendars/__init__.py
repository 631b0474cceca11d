"""Calendar feeds (RFC 5545): a person's deadlines and next steps, and an agreement's, behind a secret link."""

"""E-mail: the outbox every message is written to in the transaction that causes it, and its delivery over SMTP."""

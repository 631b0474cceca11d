"""Free-text search input: bounded in length and safe inside LIKE."""
MAX_SEARCH_LENGTH = 200


def like_pattern(text: str) -> str:
    """A case-insensitive LIKE pattern matching text anywhere, with % and _ taken literally (escape '\\')."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"

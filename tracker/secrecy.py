"""Samverka holds commitments, never cases about individuals: free text must not carry a personnummer."""
import datetime as dt
import re

# 10 or 12 digits, optionally with '-' or '+' before the last four; not part of a longer number.
_CANDIDATE = re.compile(r"(?<![\d])((?:18|19|20)?\d{6})[-+]?(\d{4})(?![\d])")


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _date_ok(yymmdd: str) -> bool:
    month, day = int(yymmdd[2:4]), int(yymmdd[4:6])
    if day > 60:  # samordningsnummer: the day of birth plus 60
        day -= 60
    try:
        dt.date(2000, month, day)  # a leap year, so 29 February is accepted
    except ValueError:
        return False
    return True


def contains_personal_number(text: str | None) -> bool:
    """True when text holds a valid Swedish personnummer or samordningsnummer (Luhn-checked)."""
    if not text:
        return False
    for match in _CANDIDATE.finditer(text):
        birth, last_four = match.group(1)[-6:], match.group(2)
        if _date_ok(birth) and _luhn_ok(birth + last_four):
            return True
    return False

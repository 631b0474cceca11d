"""Password hashing (argon2id) and the password policy."""
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

PASSWORD_MIN_LENGTH = 12
PASSWORD_MAX_LENGTH = 256

_hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Verified against when the e-mail is unknown, so a wrong e-mail costs as long as a wrong password. Made on
    first use, not at import: an argon2 hash costs every `flask` command and worker start otherwise."""
    return _hasher.hash("samverka-dummy-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Constant-time check; an empty or unknown hash takes as long and fails."""
    try:
        return _hasher.verify(password_hash or _dummy_hash(), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


@cache
def common_passwords() -> frozenset[str]:
    lines = (Path(__file__).with_name("common-passwords.txt")).read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def password_weakness(password: str, *, personal: tuple[str, ...] = ()) -> str | None:
    """Why a new password is too weak, as a code ("short", "common", "personal", "repetitive"), or None.

    Length is what counts (no rules about character classes); on top, passwords attackers try first are refused.
    """
    lowered = password.lower()
    if len(password) < PASSWORD_MIN_LENGTH:
        return "short"
    if lowered in common_passwords():
        return "common"
    if len(set(lowered)) <= 3:
        return "repetitive"
    for word in personal:
        word = (word or "").lower().split("@")[0]
        if len(word) >= 4 and word in lowered:
            return "personal"
    return None

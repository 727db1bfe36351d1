"""Password policy and hashing (scrypt by default, via Werkzeug)."""
from functools import lru_cache

from flask import current_app
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn.frequency_lists import FREQUENCY_LISTS

MAX_PASSWORD_LENGTH = 256


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    # 30,000 most used passwords from leaked sets, shipped with zxcvbn: checked offline.
    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Return why a password is refused, or None when it is acceptable."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        return _l("Use at least %(n)d characters.", n=minimum)
    if len(password) > MAX_PASSWORD_LENGTH:
        return _l("Use at most %(n)d characters.", n=MAX_PASSWORD_LENGTH)
    lowered = password.casefold()
    if lowered in _common_passwords() or len(set(lowered)) < 4:
        return _l("This password is too common. Choose one that is harder to guess.")
    local_part = email.split("@")[0].casefold()
    if (local_part and len(local_part) >= 4 and local_part in lowered) or (name and lowered == name.casefold()):
        return _l("Your password must not contain your name or e-mail address.")
    return None


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def verify_password(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)

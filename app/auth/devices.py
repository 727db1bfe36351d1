"""Known devices: a signed cookie, set at each successful login, naming the accounts that logged in there.

Five failed logins a minute lock an account, so anyone could keep its owner out by typing wrong
passwords. A device the owner has logged in from before is counted apart: its right password
gets through while strangers have used up the account's limit, and its own wrong ones have a
limit of their own. The cookie holds a random device number and, per account, a keyed digest of
its address (no address, name or id); it is sent only to the login page.
"""
import hashlib
import hmac
import secrets
from datetime import timedelta

from flask import Request, Response, current_app, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer

from app.auth.services import normalize_email

COOKIE = "passage_device"
MAX_AGE = timedelta(days=365)
MAX_ACCOUNTS = 10  # a shared computer remembers this many accounts, the latest first


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="known-device")


def _account_tag(email: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, normalize_email(email).encode(), hashlib.sha256).hexdigest()[:32]


def _read(request: Request) -> tuple[str | None, list[str]]:
    value = request.cookies.get(COOKIE)
    if not value:
        return None, []
    try:
        data = _serializer().loads(value, max_age=int(MAX_AGE.total_seconds()))
    except BadSignature:  # SignatureExpired included
        return None, []
    if not (isinstance(data, dict) and isinstance(data.get("d"), str) and isinstance(data.get("a"), list)):
        return None, []
    return data["d"], [tag for tag in data["a"] if isinstance(tag, str)]


def known_device(request: Request, email: str) -> str | None:
    """The device's number if the account with this address logged in from it before, else None."""
    device, tags = _read(request)
    return device if device and _account_tag(email) in tags else None


def remember(request: Request, response: Response, email: str) -> None:
    """After a successful login: this device is known to this account (for a year from now)."""
    device, tags = _read(request)
    tag = _account_tag(email)
    tags = [tag] + [other for other in tags if other != tag][:MAX_ACCOUNTS - 1]
    value = _serializer().dumps({"d": device or secrets.token_urlsafe(16), "a": tags})
    response.set_cookie(COOKIE, value, max_age=MAX_AGE, path=url_for("auth.login"), httponly=True, samesite="Lax",
                        secure=current_app.config.get("SESSION_COOKIE_SECURE", False))

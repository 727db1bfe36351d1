"""Response headers that every page carries, and the redirect-target check."""
import string
from urllib.parse import quote, urlsplit

from flask import abort, current_app, request, session

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def add_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if current_app.config.get("HSTS_SECONDS"):
        headers.setdefault("Strict-Transport-Security", f"max-age={current_app.config['HSTS_SECONDS']}; includeSubDomains")
    if session.get("_user_id") and not request.path.startswith("/static/"):
        # A logged-in person's pages (names, marks, scores) must not stay in a shared or proxy cache.
        headers["Cache-Control"] = "no-store"
    return response


def is_safe_local_path(target: str | None) -> bool:
    """Only a path on this site: no scheme, no host, no protocol-relative or backslash tricks."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def percent_encode_raw_query(wsgi_app):
    """WSGI middleware: raw bytes in the query string are percent-encoded, as a browser sends them.

    Werkzeug reads the query string as UTF-8 and raised on anything else (a 500, even on the error
    page, which reads `?lang=`); `flask run` passes such bytes on as they came. Encoded, a raw "café"
    reads as the browser's "caf%C3%A9", and invalid bytes as replacement characters.
    """
    def app(environ, start_response):
        query = environ.get("QUERY_STRING", "")
        if not query.isascii():  # WSGI strings carry bytes as latin-1
            environ["QUERY_STRING"] = quote(query.encode("latin-1"), safe=string.printable)
        return wsgi_app(environ, start_response)

    return app


def refuse_nul_bytes():
    """No text a person types contains a NUL byte, and PostgreSQL cannot store one: refuse it early."""
    values = [request.path, *request.args.values(), *request.form.values()]
    if any("\x00" in value for value in values):
        abort(400)

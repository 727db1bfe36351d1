"""Absolute links for e-mails and calendar files, built from configuration, never from the request."""
from flask import current_app, url_for


def public_url(endpoint: str, **values) -> str:
    """`PUBLIC_URL` + the endpoint's path: a forged Host header cannot redirect a link elsewhere."""
    return current_app.config["PUBLIC_URL"].rstrip("/") + url_for(endpoint, **values)

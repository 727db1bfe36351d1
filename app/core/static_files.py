"""Versioned static URLs: `url_for('static', …)` carries the file's content hash, cached for a year.

The hashes are computed once, when the app is created (the files only change with a release),
so a page view costs a dictionary look-up per link. A request whose `v` matches the file's hash
is answered `Cache-Control: public, max-age=31536000, immutable`: the browser never asks again,
and the next release's file has another hash, hence another URL. A request without `v` (or with
an old one) keeps Flask's default, revalidated with its ETag.
"""
import hashlib
from pathlib import Path

from flask import Flask, Response, request

IMMUTABLE = "public, max-age=31536000, immutable"
VERSION_ARG = "v"


def content_hashes(folder: str | Path) -> dict[str, str]:
    """{path relative to the folder, with "/": the first 12 hex digits of its SHA-256} for every file."""
    root = Path(folder)
    hashes = {}
    if not root.is_dir():
        return hashes
    for path in sorted(root.rglob("*")):
        if path.is_file():
            hashes[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return hashes


def init_app(app: Flask) -> None:
    hashes = content_hashes(app.static_folder) if app.static_folder else {}
    app.extensions["static_hashes"] = hashes

    @app.url_defaults
    def add_version(endpoint: str, values: dict) -> None:
        if endpoint == "static" and VERSION_ARG not in values:
            version = hashes.get(values.get("filename", ""))
            if version:
                values[VERSION_ARG] = version

    @app.after_request
    def cache_versioned(response: Response) -> Response:
        if request.endpoint == "static" and response.status_code == 200:
            filename = (request.view_args or {}).get("filename", "")
            if request.args.get(VERSION_ARG) and request.args.get(VERSION_ARG) == hashes.get(filename):
                response.headers["Cache-Control"] = IMMUTABLE
        return response

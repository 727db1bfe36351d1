"""The stack's own ceiling: Passage's app, with every extension and hook, and two empty routes.

`make bench` serves it beside Passage with the same gunicorn settings, so the table shows how far
a page can go before it renders anything: `/_bench/empty` answers "ok" to a visitor (the request
hooks, the session cookie, the security headers, no database), `/_bench/signed-in` answers with the
person's id (the same, plus the user's one statement that every logged-in page pays). A page's
ratio to hello-world can only be lower than these.
"""
from flask import Flask
from flask_login import current_user, login_required

from app import create_app


def add_empty_routes(app: Flask) -> Flask:
    @app.get("/_bench/empty")
    def bench_empty():
        return "ok"

    @app.get("/_bench/signed-in")
    @login_required
    def bench_signed_in():
        return str(current_user.id)

    return app


app = add_empty_routes(create_app())

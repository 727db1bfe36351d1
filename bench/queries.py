"""Counts the SQL statements of one request per page (`make bench` runs it; reads JSON on stdin).

Input: {page name: request line (method TAB path TAB cookie TAB body)}. Output: {page name:
"N (+COMMIT)"}, counted with the production settings on the bench database, through the test
client with the same session cookies as the load; "+ping" is the pool's pre-ping when it has one.
"""
import json
import sys

import sqlalchemy as sa

from app import create_app
from bench.ceiling import add_empty_routes
from app.extensions import db


def main() -> None:
    pages = json.loads(sys.stdin.read())
    app = add_empty_routes(create_app("production"))
    counts = {}
    with app.app_context():
        engine = db.engine
    state = {"statements": 0, "ends": [], "pings": 0}
    ping = engine.dialect.do_ping

    def counting_ping(connection):
        state["pings"] += 1
        return ping(connection)

    engine.dialect.do_ping = counting_ping
    sa.event.listen(engine, "before_cursor_execute", lambda *args: state.__setitem__("statements", state["statements"] + 1))
    def ended(word):
        def listener(connection):
            # In autocommit (a GET on PostgreSQL) SQLAlchemy's commit sends nothing to the server.
            if not getattr(connection.connection.dbapi_connection, "autocommit", False):
                state["ends"].append(word)
        return listener

    sa.event.listen(engine, "commit", ended("COMMIT"))
    sa.event.listen(engine, "rollback", ended("ROLLBACK"))
    client = app.test_client(use_cookies=False)
    for name, line in pages.items():
        method, path, cookie, body = line.split("\t")
        headers = {"Cookie": cookie} if cookie else {}
        for attempt in range(2):  # the second request is the one counted: caches and the pool are warm
            state.update(statements=0, ends=[], pings=0)
            if method == "POST":
                # Over HTTPS Flask-WTF also checks that the Referer is this site.
                response = client.post(path, data=body, headers={**headers, "Referer": "https://127.0.0.1/"},
                                       base_url="https://127.0.0.1",
                                       content_type="application/x-www-form-urlencoded")
            else:
                response = client.get(path, headers=headers, base_url="https://127.0.0.1")
            # A streamed download (an export) keeps its request context until it is read and closed.
            response.get_data()
            response.close()
        extra = [*state["ends"], *(["ping"] * state["pings"])]
        counts[name] = f"{state['statements']}" + (f" (+{', '.join(extra)})" if extra else "") + \
            ("" if response.status_code < 400 else f" [{response.status_code}]")
    print(json.dumps(counts))


if __name__ == "__main__":
    main()

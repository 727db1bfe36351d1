"""Fresh, throw-away databases for tests: a SQLite file, or a new PostgreSQL database.

With TEST_DATABASE_URL set, every database is created on that server under a unique name
and dropped afterwards; the database named in the URL itself is never written to.
"""
import os
import uuid
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url


def server_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL")
    if url and url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def on_postgresql() -> bool:
    return bool(server_url())


def create_database(label: str, directory: Path) -> str:
    base = server_url()
    if not base:
        return f"sqlite:///{directory / f'{label}.sqlite'}"
    name = f"passage_{label}_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return make_url(base).set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return
    admin = sa.create_engine(server_url(), isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')
    admin.dispose()

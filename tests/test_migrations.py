"""Migrations: an empty database goes to head, back to base and up again; models match head."""
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from app import create_app
from app.extensions import db
from tests import databases
from tests.helpers import make_config


@pytest.fixture
def empty_app(tmp_path):
    url = databases.create_database("migrations", tmp_path)
    app = create_app(make_config(url))
    yield app
    with app.app_context():
        db.engine.dispose()
    databases.drop_database(url)


def table_names(app):
    with app.app_context():
        return set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_upgrade_downgrade_upgrade(empty_app):
    with empty_app.app_context():
        upgrade()
    assert {"users", "audit_entries", "outbox_messages"} <= table_names(empty_app)
    with empty_app.app_context():
        downgrade(revision="base")
    assert table_names(empty_app) == set()
    with empty_app.app_context():
        upgrade()
    assert {"users", "audit_entries", "outbox_messages"} <= table_names(empty_app)


def test_models_and_migrations_agree(empty_app):
    with empty_app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
    assert differences == [], f"models differ from the migrations: run `flask db migrate`: {differences}"

"""Migrations: one head; every revision goes up and down one step at a time; models match head.

The equivalent of pytest-alembic's default tests (single head, upgrade, up/down consistency,
model definitions match DDL), written with alembic's ScriptDirectory and Flask-Migrate's
commands: pytest-alembic 0.11 to 0.13.1 fail to collect under pytest 9 (their collector sets
`_nodeid`, which pytest 9 no longer has), and Flask-Migrate's env.py takes its connection from
the app rather than from `config.attributes`. Runs on the test database of the run: SQLite,
or PostgreSQL with TEST_DATABASE_URL.
"""
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import downgrade, upgrade

from app import create_app
from app.extensions import db
from tests import databases
from tests.helpers import make_config


# SQLite cannot reflect an expression index (ix_users_name_lower): PostgreSQL compares it.
SQLITE_EXPRESSION_INDEX = pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")


@pytest.fixture
def empty_app(tmp_path):
    """An app on a fresh, empty database, with its app context pushed."""
    url = databases.create_database("migrations", tmp_path)
    app = create_app(make_config(url))
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()
    databases.drop_database(url)


def script_directory() -> ScriptDirectory:
    migrate = current_app.extensions["migrate"]
    return ScriptDirectory.from_config(migrate.migrate.get_config(migrate.directory))


def revisions_base_to_head() -> list[str]:
    return [script.revision for script in reversed(list(script_directory().walk_revisions("base", "heads")))]


def current_revision() -> str | None:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def schema() -> dict[str, list]:
    """Tables with their columns (name, type, nullable), indexes and foreign keys, as the database has them."""
    inspector = sa.inspect(db.engine)
    return {
        table: [
            sorted((c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)),
            sorted((i["name"], tuple(i["column_names"]), bool(i["unique"])) for i in inspector.get_indexes(table)),
            sorted((tuple(f["constrained_columns"]), f["referred_table"]) for f in inspector.get_foreign_keys(table)),
        ]
        for table in sorted(set(inspector.get_table_names()) - {"alembic_version"})
    }


def test_exactly_one_head_and_one_base(empty_app):
    script = script_directory()
    assert len(script.get_heads()) == 1, f"several heads, merge them: {script.get_heads()}"
    assert len(script.get_bases()) == 1, f"several bases: {script.get_bases()}"


@SQLITE_EXPRESSION_INDEX
def test_up_and_down_one_revision_at_a_time(empty_app):
    """Base to head one step at a time, each step undone and redone; then head back to base, step by step.

    After each step down the schema must be exactly what the step up had left at that revision,
    so a downgrade that forgets a table, column, index or type shows here (re-running the step
    up after it catches leftovers such as PostgreSQL enum types).
    """
    revisions = revisions_base_to_head()
    assert len(revisions) >= 3
    seen = {None: schema()}
    assert seen[None] == {}
    previous = None
    for revision in revisions:
        upgrade(revision=revision)
        assert current_revision() == revision
        seen[revision] = schema()
        downgrade(revision=previous or "base")
        assert current_revision() == previous and schema() == seen[previous], f"{revision} did not undo cleanly"
        upgrade(revision=revision)
        assert current_revision() == revision and schema() == seen[revision], f"{revision} cannot be redone"
        previous = revision
    assert {"users", "workshops", "registrations", "cohorts", "workshop_sessions"} <= set(seen[revisions[-1]])
    for revision, below in zip(reversed(revisions), [*reversed(revisions[:-1]), None]):
        downgrade(revision="-1")
        assert current_revision() == below, f"one step down from {revision}"
        assert schema() == seen[below], f"the downgrade of {revision} leaves a different schema"
    assert schema() == {}


@SQLITE_EXPRESSION_INDEX
def test_models_and_migrations_agree(empty_app):
    upgrade()
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == [], f"models differ from the migrations: run `flask db migrate`: {differences}"


def test_workshop_texts_move_into_the_first_working_language_and_back(empty_app):
    """0009: each single string becomes {first working language: text} (English without languages); empty
    ones become {}; going down takes the first language's text back, and a venue elsewhere becomes campus
    with its place and city atop the address."""
    upgrade(revision="0006")
    now = "2026-11-23 10:00:00"
    with db.engine.begin() as connection:
        insert = sa.text(
            "INSERT INTO workshops (id, slug, title, description, starts_on, ends_on, timezone, venue, address, languages,"
            " capacity, waitlist_enabled, requires_approval, status, next_sequence, created_at, attendance_threshold)"
            " VALUES (:id, :slug, :title, :description, '2027-03-01', '2027-03-02', 'Europe/Rome', 'campus', :address,"
            " :languages, 20, true, false, 'open', 1, :now, 80)")
        connection.execute(insert, [
            {"id": 1, "slug": "atelier", "title": "Atelier sur la migration", "description": "",
             "address": "Campus, Turin", "languages": '["fr", "en"]', "now": now},
            {"id": 2, "slug": "no-languages", "title": "Workshop", "description": "Two days.", "address": "",
             "languages": "[]", "now": now},
        ])
        connection.execute(sa.text("INSERT INTO cohorts (id, workshop_id, name, language) VALUES (1, 1, 'Groupe A', 'fr')"))
        connection.execute(sa.text(
            "INSERT INTO workshop_sessions (id, workshop_id, title, starts_at, ends_at, room)"
            " VALUES (1, 1, 'Ouverture', '2027-03-01 08:00:00', '2027-03-01 09:00:00', '')"))
    upgrade(revision="0009")
    with db.engine.begin() as connection:
        json = sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql")
        workshops = sa.table("workshops", sa.column("id"), sa.column("title", json), sa.column("description", json),
                             sa.column("address", json), sa.column("place", json), sa.column("venue"))
        rows = {row.id: row for row in connection.execute(sa.select(workshops))}
        assert (rows[1].title, rows[1].description, rows[1].address, rows[1].place) == (
            {"fr": "Atelier sur la migration"}, {}, {"fr": "Campus, Turin"}, {})
        assert (rows[2].title, rows[2].description, rows[2].address) == ({"en": "Workshop"}, {"en": "Two days."}, {})
        cohorts = sa.table("cohorts", sa.column("name", json))
        sessions = sa.table("workshop_sessions", sa.column("title", json))
        assert connection.execute(sa.select(cohorts.c.name)).scalar_one() == {"fr": "Groupe A"}
        assert connection.execute(sa.select(sessions.c.title)).scalar_one() == {"fr": "Ouverture"}
        connection.execute(workshops.update().where(workshops.c.id == 2).values(
            venue="elsewhere", place={"en": "Hotel Terrou-Bi"}, address={"en": "Boulevard Martin Luther King"}))
        connection.execute(workshops.update().where(workshops.c.id == 1).values(
            title={"en": "Workshop on migration", "fr": "Atelier sur la migration"}))
    downgrade(revision="0006")
    with db.engine.begin() as connection:
        rows = {row.id: row for row in connection.execute(sa.text("SELECT id, title, description, address, venue FROM workshops"))}
        assert (rows[1].title, rows[1].description, rows[1].address) == ("Atelier sur la migration", "", "Campus, Turin")
        assert (rows[2].venue, rows[2].address) == ("campus", "Hotel Terrou-Bi\nBoulevard Martin Luther King")
        assert connection.execute(sa.text("SELECT name FROM cohorts")).scalar_one() == "Groupe A"
        assert connection.execute(sa.text("SELECT title FROM workshop_sessions")).scalar_one() == "Ouverture"

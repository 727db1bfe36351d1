"""The content cache stays correct: a sync made through one app instance is seen by another on the same database.

Two apps built by create_app() on one database share nothing in memory, like two servers.
"""
import shutil
import time

import pytest
from flask_migrate import upgrade

from app import create_app
from app.courses import services as courses
from app.courses.cache import content_cache, version_query
from app.extensions import db
from app.quizzes import services as quizzes
from tests import databases
from tests.content.helpers import BASICS, FIXTURE
from tests.factories import Factory
from tests.helpers import Browser, make_config

OLD, NEW = "Sample course: a small tree", "Renamed course: a small tree"


@pytest.fixture
def apps(tmp_path):
    url = databases.create_database("cache", tmp_path)
    apps = []
    try:
        for check_seconds in (3600, 3600, 0.2):
            app = create_app(make_config(url, CONTENT_VERSION_CHECK_SECONDS=check_seconds))
            apps.append(app)
        with apps[0].app_context():
            upgrade()
        yield apps
    finally:
        for app in apps:
            with app.app_context():
                db.engine.dispose()
        databases.drop_database(url)


def sync(app, root):
    result = app.test_cli_runner().invoke(args=["content", "sync", "--path", str(root)])
    assert result.exit_code == 0, result.output
    return result


def test_a_sync_on_one_server_reaches_the_others_at_their_next_request(apps, tmp_path):
    # The first runs the sync; the second reads the version only with the user (its own check is
    # hourly); the third re-reads it for anonymous pages every 0.2 s.
    first, second, third = apps
    root = tmp_path / "content"
    shutil.copytree(FIXTURE, root)
    sync(first, root)
    participant = Factory(second).participant()
    reader = Browser(second.test_client())
    reader.login(participant.email)
    anonymous = third.test_client()
    slow = Browser(first.test_client())
    slow.login(participant.email)
    assert OLD in reader.client.get("/courses/").get_data(as_text=True)
    assert OLD in slow.client.get("/courses/").get_data(as_text=True)
    assert OLD in anonymous.get("/").get_data(as_text=True)
    assert OLD in second.test_client().get("/").get_data(as_text=True)  # anonymous on the hourly one: cached

    course = root / "sample-course" / "course.yml"
    course.write_text(course.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
    (root / BASICS / "en.md").write_text((root / BASICS / "en.md").read_text(encoding="utf-8")
                                         .replace("title: Basics", "title: Fundamentals"), encoding="utf-8")
    assert "updated" in sync(first, root).output

    # Logged in: the next request reads the version with the user, on either server.
    page = reader.client.get("/courses/").get_data(as_text=True)
    assert NEW in page and OLD not in page and "Fundamentals" in page
    assert NEW in slow.client.get("/courses/").get_data(as_text=True)
    # Anonymous: within CONTENT_VERSION_CHECK_SECONDS.
    time.sleep(0.3)
    assert NEW in anonymous.get("/").get_data(as_text=True)


def test_a_second_sync_that_changes_nothing_keeps_the_version(apps, tmp_path):
    first = apps[0]
    root = tmp_path / "content"
    shutil.copytree(FIXTURE, root)
    sync(first, root)
    with first.app_context():
        before = db.session.scalar(version_query())
    assert "created 0, updated 0, retired 0" in sync(first, root).output
    with first.app_context():
        assert db.session.scalar(version_query()) == before
        assert content_cache().check_seconds == 3600


def test_the_cache_holds_plain_values_only(apps, tmp_path):
    first = apps[0]
    root = tmp_path / "content"
    shutil.copytree(FIXTURE, root)
    sync(first, root)
    with first.test_request_context():
        catalogue = courses.catalogue()
        index = quizzes.quiz_index()
    values = [*catalogue.courses, *(m for ms in catalogue.modules.values() for m in ms),
              *(s for ss in catalogue.sections.values() for s in ss), *index.by_module.values(),
              *(q for qs in index.questions.values() for q in qs), *(c for cs in index.choices.values() for c in cs)]
    assert values
    assert not any(isinstance(value, db.Model) for value in values)

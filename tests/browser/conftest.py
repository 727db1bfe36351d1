"""A live Passage on a free port, with its own database and demo data, and a headless Chromium.

The demo data is read-only for the tests: a test that changes data builds its own users and
workshop with `live_factory`, so no test depends on what another one did.
"""
import os
import shutil
import threading
from pathlib import Path

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db
from tests import databases
from tests.factories import Factory
from tests.helpers import make_config

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The live server's app (to read or prepare its database); its address is `live_app.base_url`."""
    url = databases.create_database("browser", tmp_path_factory.mktemp("browser-db"))
    app = create_app(make_config(url, SERVER_NAME=None))
    with app.app_context():
        upgrade()
        db.session.remove()
    for command in (["content", "sync"], ["demo", "load"]):
        result = app.test_cli_runner().invoke(args=command)
        assert result.exit_code == 0, result.output
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.base_url = f"http://127.0.0.1:{server.server_port}"
    yield app
    server.shutdown()
    with app.app_context():
        db.engine.dispose()
    databases.drop_database(url)


@pytest.fixture(scope="session")
def live_server(live_app):
    return live_app.base_url


@pytest.fixture
def live_factory(live_app):
    """Users and workshops committed to the live server's database, for one test's own use."""
    return Factory(live_app)


@pytest.fixture(scope="session")
def chromium():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium is required on CI and was not found at {CHROMIUM}")
        pytest.skip(f"no Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 360, "height": 740}, locale="en-GB")
    page = context.new_page()
    yield page
    context.close()



@pytest.fixture
def new_page(chromium):
    """`new_page(width=1280)`: a page in a context of its own (its own cookies), closed after the test."""
    contexts = []

    def make(width: int = 360, height: int = 740, **options):
        context = chromium.new_context(viewport={"width": width, "height": height}, locale="en-GB", **options)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()

"""Passage: course delivery for labour-migration workshops. create_app() builds the app."""
import logging
import os
from functools import cache

import sqlalchemy as sa
from flask import Flask, request, session
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from app import models  # noqa: F401  (every model registered before migrations look)
from app.admin import outbox as admin_outbox  # noqa: F401  (its routes join the admin blueprint)
from app.admin.routes import bp as admin_bp
from app.attendance.routes import bp as attendance_bp
from app.auth.cli import users_cli
from app.auth.models import User
from app.auth.routes import bp as auth_bp
from app.auth.services import account_deleting
from app.certificates.routes import bp as certificates_bp
from app.content.cli import content_cli
from app.core import layout, static_files, shared_pages, transaction
from app.core.errors import ERROR_PAGES, render_error
from app.core.i18n import (
    LANGUAGE_NAMES,
    LANGUAGE_PARAMETER,
    SESSION_KEY,
    country_name,
    country_names,
    current_language,
    is_supported,
    language_name,
    install_template_gettext,
    select_locale,
)
from app.core.pagination import DIGITS, MAX_ID, parse_id, url_with
from app.core.security import add_security_headers, percent_encode_raw_query, refuse_nul_bytes
from app.core.translated import lang_attr, marked, pick, shown_language
from app.courses import cache as content_cache
from app.demo.cli import demo_cli
from app.exports.cli import export_cli
from app.exports.routes import admin_bp as admin_exports_bp
from app.exports.routes import trainer_bp as trainer_exports_bp
from app.extensions import babel, compress, csrf, db, limiter, login_manager, migrate
from app.learning.routes import bp as learning_bp
from app.mail.cli import mail_cli
from app.mail.services import register_log_delivery
from app.main.routes import bp as main_bp
from app.reports.routes import bp as reports_bp
from app.trainer.routes import bp as trainer_bp
from app.workshops import display
from app.workshops.erasure import forget_participant
from app.workshops.routes import bp as workshops_bp
from config import CONFIGS, DEFAULT_SECRET_KEY, INSTANCE_DIR

BLUEPRINTS = (main_bp, auth_bp, learning_bp, workshops_bp, attendance_bp, trainer_bp, admin_bp, certificates_bp,
              reports_bp)
BLUEPRINTS += (admin_exports_bp, trainer_exports_bp)
CLI_GROUPS = (users_cli, content_cli, demo_cli, mail_cli)
CLI_GROUPS += (export_cli,)


def create_app(config=None) -> Flask:
    app = Flask(__name__, template_folder="../templates", static_folder="../static", instance_path=str(INSTANCE_DIR))
    if config is None:
        config = CONFIGS[os.environ.get("PASSAGE_CONFIG", "development")]
    elif isinstance(config, str):
        config = CONFIGS[config]
    app.config.from_object(config)
    _check_secret_key(app)
    if app.config["TRUSTED_PROXIES"]:
        n = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)
    app.wsgi_app = percent_encode_raw_query(app.wsgi_app)
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)

    app.url_map.converters["int"] = BoundedInt
    _init_extensions(app)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    for group in CLI_GROUPS:
        app.cli.add_command(group)
    _register_error_handlers(app)
    _register_template_helpers(app)
    # Deleting an account gives up the person's seats (auth cannot import workshops; connecting twice is a no-op).
    account_deleting.connect(forget_participant)
    return app


class BoundedInt(IntegerConverter):
    """`<int:…>` in URLs: ASCII digits up to the largest database key, so /x/99999999999999999999 and /x/١ are 404s."""

    regex = DIGITS

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def _check_secret_key(app: Flask) -> None:
    key = app.config.get("SECRET_KEY") or ""
    if app.config["REQUIRE_STRONG_SECRET_KEY"] and (key == DEFAULT_SECRET_KEY or len(key) < 32):
        raise RuntimeError(
            "SECRET_KEY must be set to a random value of at least 32 characters in production, "
            "for example: python -c 'import secrets; print(secrets.token_hex(32))'"
        )


def _init_extensions(app: Flask) -> None:
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        INSTANCE_DIR.mkdir(exist_ok=True)
    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    install_template_gettext(app)
    compress.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.session_protection = "basic"
    login_manager.user_loader(_load_user)
    transaction.init_app(app)
    static_files.init_app(app)
    layout.init_app(app)
    content_cache.init_app(app)
    shared_pages.init_app(app, version=lambda: content_cache.content_cache().version())
    app.after_request(add_security_headers)
    app.before_request(refuse_nul_bytes)
    app.before_request(_keep_language_parameter)
    register_log_delivery()
    with app.app_context():
        if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
            _tune_sqlite(db.engine)


def _load_user(user_id: str):
    """The cookie holds "id.version"; a stale version (password, role or status changed) logs out.

    One statement by primary key, on every request of a logged-in person, on every server: a
    deactivation, a role or a password change (each bumps session_version) takes effect at the
    next request. The same statement reads the content version, so the content cache learns of
    a sync at no extra cost.
    """
    user_part, _sep, version = user_id.partition(".")
    if parse_id(user_part) is None or parse_id(version) is None:
        return None
    row = db.session.execute(_user_statement(), {"user_id": int(user_part)}).first()
    if row is None:
        return None
    user, content_version = row
    content_cache.content_cache().saw(content_version)
    if not user.is_active or user.session_version != int(version):
        return None
    return user


@cache
def _user_statement() -> sa.Select:
    # Built once: composing it anew cost about a fifth of an empty logged-in request's Python.
    return sa.select(User, content_cache.version_query().scalar_subquery()).where(User.id == sa.bindparam("user_id"))


def _keep_language_parameter():
    """`?lang=xx` shows this visit in that language (in the session cookie only: a GET stores nothing)."""
    lang = request.args.get(LANGUAGE_PARAMETER)
    if is_supported(lang):
        session[SESSION_KEY] = lang


def _tune_sqlite(engine) -> None:
    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # pysqlite's own transaction handling breaks SAVEPOINT; let SQLAlchemy emit BEGIN itself.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection):
        # SQLite has no row locks: IMMEDIATE takes the write lock up front, so seat decisions
        # are serialized (and wait up to busy_timeout) instead of failing with "database is locked".
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _register_error_handlers(app: Flask) -> None:
    for code in ERROR_PAGES:
        app.register_error_handler(code, lambda error, code=code: render_error(code))

    @app.errorhandler(SecurityError)
    def untrusted_host(error):
        # No page can be built for a host this site does not serve (no URL adapter): a plain answer.
        return "Bad request: this site does not answer for that host name.", 400, {"Content-Type": "text/plain"}

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(400, _("The form had expired or was sent from elsewhere. Reload the page and send it again."))

    @app.errorhandler(500)
    def server_error(error):
        transaction.discard()  # the page below may read the database: leave the failed transaction first
        return render_error(500)


def _register_template_helpers(app: Flask) -> None:
    app.add_template_filter(pick, "pick")
    for helper in (display.workshop_dates, display.session_day, display.session_hours, display.local_time,
                   display.local_date, display.local_dates, display.local_datetime, display.number, display.zone_name,
                   url_with, shown_language, lang_attr):
        app.add_template_global(helper)
    app.add_template_filter(marked, "marked")  # a text shown in a fallback language, in <span lang="…">
    app.add_template_global(LANGUAGE_NAMES, "language_names")  # for macros imported without context
    app.add_template_global(language_name)
    app.add_template_global(country_names)
    app.add_template_filter(display.groupby_day, "groupby_day")

    @app.context_processor
    def inject_helpers():
        return {"language_names": LANGUAGE_NAMES, "current_language": current_language, "country_name": country_name}

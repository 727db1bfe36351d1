"""Passage: course delivery for labour-migration workshops. create_app() builds the app."""
import logging
import os

import sqlalchemy as sa
from flask import Flask, request
from flask_wtf.csrf import CSRFError
from werkzeug.middleware.proxy_fix import ProxyFix

from config import CONFIGS, DEFAULT_SECRET_KEY, INSTANCE_DIR


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
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)

    _bound_int_converter(app)
    _init_extensions(app)
    _register_blueprints(app)
    _register_cli(app)
    _register_error_handlers(app)
    _register_template_helpers(app)
    return app


def _bound_int_converter(app: Flask) -> None:
    """`<int:…>` in URLs stops at the largest database key, so /x/99999999999999999999 is a 404."""
    from werkzeug.routing import IntegerConverter

    from app.core.pagination import MAX_ID

    class BoundedInt(IntegerConverter):
        def __init__(self, map, *args, **kwargs):
            kwargs.setdefault("max", MAX_ID)
            super().__init__(map, *args, **kwargs)

    app.url_map.converters["int"] = BoundedInt


def _check_secret_key(app: Flask) -> None:
    key = app.config.get("SECRET_KEY") or ""
    if app.config["REQUIRE_STRONG_SECRET_KEY"] and (key == DEFAULT_SECRET_KEY or len(key) < 32):
        raise RuntimeError(
            "SECRET_KEY must be set to a random value of at least 32 characters in production, "
            "for example: python -c 'import secrets; print(secrets.token_hex(32))'"
        )


def _init_extensions(app: Flask) -> None:
    from app import models  # noqa: F401  (every model registered before migrations look)
    from app.core.i18n import select_locale
    from app.core.security import add_security_headers, refuse_nul_bytes
    from app.extensions import babel, compress, csrf, db, limiter, login_manager, migrate
    from app.mail.services import register_log_delivery

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        INSTANCE_DIR.mkdir(exist_ok=True)
    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    compress.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    _set_login_messages(login_manager)
    login_manager.user_loader(_load_user)
    app.after_request(add_security_headers)
    app.before_request(refuse_nul_bytes)
    app.before_request(_apply_language_parameter)
    register_log_delivery()
    with app.app_context():
        if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
            _tune_sqlite(db.engine)


def _set_login_messages(login_manager) -> None:
    from flask_babel import lazy_gettext as _l

    login_manager.login_message = _l("Please log in to see this page.")


def _load_user(user_id: str):
    """The cookie holds "id.version"; a stale version (password, role or status changed) logs out."""
    from app.auth.models import User
    from app.extensions import db

    from app.core.pagination import parse_id

    user_part, _, version = user_id.partition(".")
    if parse_id(user_part) is None or not version.isdigit():
        return None
    user = db.session.get(User, int(user_part))
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    return user


def _apply_language_parameter():
    """`?lang=xx` on any page is an explicit choice: remember it like the switcher does."""
    from app.core.i18n import is_supported
    from app.extensions import db
    from app.main.routes import remember_language

    lang = request.args.get("lang")
    if is_supported(lang):
        remember_language(lang)
        if db.session.dirty:
            db.session.commit()


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


def _register_blueprints(app: Flask) -> None:
    from app.admin.routes import bp as admin_bp
    from app.auth.routes import bp as auth_bp
    from app.courses.routes import bp as courses_bp
    from app.main.routes import bp as main_bp
    from app.quizzes.routes import bp as quizzes_bp
    from app.trainer.routes import bp as trainer_bp
    from app.workshops.routes import bp as workshops_bp

    for blueprint in (main_bp, auth_bp, courses_bp, quizzes_bp, workshops_bp, trainer_bp, admin_bp):
        app.register_blueprint(blueprint)


def _register_cli(app: Flask) -> None:
    from app.auth.cli import users_cli
    from app.content.cli import content_cli
    from app.demo.cli import demo_cli
    from app.mail.cli import mail_cli

    for group in (users_cli, content_cli, demo_cli, mail_cli):
        app.cli.add_command(group)


def _register_error_handlers(app: Flask) -> None:
    from app.core.errors import ERROR_PAGES, render_error

    for code in ERROR_PAGES:
        app.register_error_handler(code, lambda error, code=code: render_error(code))

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        from flask_babel import gettext as _

        return render_error(400, _("The form had expired or was sent from elsewhere. Reload the page and send it again."))

    @app.errorhandler(500)
    def server_error(error):
        from app.extensions import db

        db.session.rollback()
        return render_error(500)


def _register_template_helpers(app: Flask) -> None:
    from app.core.i18n import LANGUAGE_NAMES, country_name, current_language
    from app.core.translated import pick

    app.add_template_filter(pick, "pick")
    from app.workshops import display

    for helper in (display.workshop_dates, display.session_day, display.session_hours, display.zone_name):
        app.add_template_global(helper)
    app.add_template_global(LANGUAGE_NAMES, "language_names")
    app.add_template_filter(display.groupby_day, "groupby_day")
    from app.core.pagination import url_with

    app.add_template_global(url_with)

    @app.context_processor
    def inject_helpers():
        return {"language_names": LANGUAGE_NAMES, "current_language": current_language, "country_name": country_name}

"""Configuration classes, read from the environment (see README for the variables)."""
import os
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"
DEFAULT_SECRET_KEY = "dev-only-change-me"


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _database_url(default: str) -> str:
    url = os.environ.get("DATABASE_URL", default)
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants the psycopg 3 driver named.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://"):]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = _database_url(f"sqlite:///{INSTANCE_DIR / 'passage.sqlite'}")
    # No ping before each checkout (a round trip per request): connections are recycled after
    # 30 minutes instead, before PostgreSQL or a proxy drops them; a connection dropped anyway
    # fails one request, and the pool replaces it.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": False, "pool_recycle": int(os.environ.get("DATABASE_POOL_RECYCLE", "1800"))}
    # GET and HEAD read in autocommit on PostgreSQL (app.core.transaction): no BEGIN/COMMIT round trips.
    READS_WITHOUT_TRANSACTION = _bool("READS_WITHOUT_TRANSACTION", True)

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # A quiz answered over a long read must not fail on an expired token.
    WTF_CSRF_TIME_LIMIT = None
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024

    LANGUAGES = ("en", "fr", "es")
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"

    PASSWORD_HASH_METHOD = "scrypt"
    PASSWORD_MIN_LENGTH = 10
    PASSWORD_RESET_MAX_AGE = 3600
    INVITATION_MAX_AGE = 7 * 86400
    # A new participant confirms their address within two days (sign up again for a fresh link).
    SIGNUP_CONFIRMATION_MAX_AGE = 2 * 86400

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_LIMIT_PER_ACCOUNT = os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "5 per minute")
    LOGIN_LIMIT_PER_ADDRESS = os.environ.get("LOGIN_LIMIT_PER_ADDRESS", "60 per minute")
    # Complete sign-up forms per address: a room signing up together on one campus address fits.
    SIGNUP_LIMIT_PER_ADDRESS = os.environ.get("SIGNUP_LIMIT_PER_ADDRESS", "30 per hour")
    # Self check-in: a code stays valid this long, a check-in after the grace period counts as
    # late, and a trainer may open check-in this long before the session starts.
    CHECKIN_CODE_MINUTES = int(os.environ.get("CHECKIN_CODE_MINUTES", "15"))
    CHECKIN_GRACE_MINUTES = int(os.environ.get("CHECKIN_GRACE_MINUTES", "10"))
    CHECKIN_OPENS_BEFORE_MINUTES = int(os.environ.get("CHECKIN_OPENS_BEFORE_MINUTES", "30"))
    # Refused check-ins (unknown, expired or someone else's codes) per person and per address;
    # a whole room checks in from one campus address, so only refusals count.
    CHECKIN_LIMIT_PER_USER = os.environ.get("CHECKIN_LIMIT_PER_USER", "10 per minute")
    CHECKIN_LIMIT_PER_ADDRESS = os.environ.get("CHECKIN_LIMIT_PER_ADDRESS", "60 per minute")
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))

    # "log" writes messages to the application log as they are committed; "smtp" leaves
    # them in the outbox for `flask mail send`.
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = _bool("MAIL_USE_TLS")
    MAIL_USE_SSL = _bool("MAIL_USE_SSL")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Passage <no-reply@passage.example.org>")
    MAIL_TIMEOUT = int(os.environ.get("MAIL_TIMEOUT", "10"))
    # A failed message waits before its next attempt: 1 minute, then 2, 4, 8… up to 6 hours. After
    # 16 attempts (about 44 hours of trying) it is abandoned: admins see it at /admin/outbox and
    # can send it again (`flask mail retry`). A failure that no retry can mend abandons it at once.
    MAIL_RETRY_FIRST_DELAY = int(os.environ.get("MAIL_RETRY_FIRST_DELAY", "60"))
    MAIL_RETRY_MAX_DELAY = int(os.environ.get("MAIL_RETRY_MAX_DELAY", str(6 * 3600)))
    MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS", "16"))

    # Where people reach the site: links in e-mails written outside a request use it.
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000")
    CONTENT_DIR = os.environ.get("CONTENT_DIR", str(BASE_DIR / "content"))
    # A process reads the content version (bumped by `flask content sync`) at most this often on
    # requests without a logged-in user; logged-in requests read it with the user, at no cost.
    CONTENT_VERSION_CHECK_SECONDS = float(os.environ.get("CONTENT_VERSION_CHECK_SECONDS", "5"))
    # Pages the same for every visitor or participant (home, the workshop catalogue, a workshop for visitors) are
    # kept this long per process (app.core.shared_pages): a burst after an announcement costs one render.
    SHARED_PAGE_SECONDS = float(os.environ.get("SHARED_PAGE_SECONDS", "5"))
    SHARED_PAGES_KEPT = 256
    ADMIN_PAGE_SIZE = 25
    TRAINER_PAGE_SIZE = 100
    DEMO_DATA_ALLOWED = False
    REQUIRE_STRONG_SECRET_KEY = False


class DevelopmentConfig(Config):
    DEBUG = False
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "log")
    DEMO_DATA_ALLOWED = True


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret-key"
    PUBLIC_URL = "http://localhost"  # the test client's own host, so links in e-mails can be followed
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    # Cheap hashing keeps the suite fast; the algorithm is still scrypt.
    PASSWORD_HASH_METHOD = "scrypt:1024:8:1"
    RATELIMIT_STORAGE_URI = "memory://"
    MAIL_BACKEND = "smtp"
    SERVER_NAME = "localhost"
    DEMO_DATA_ALLOWED = True
    # A test sees what it has just changed on the next page; tests/core/test_shared_pages.py turns it on.
    SHARED_PAGE_SECONDS = 0


def _trusted_hosts() -> list[str]:
    """The site's own host (from PUBLIC_URL) and any others listed in TRUSTED_HOSTS, comma-separated."""
    hosts = [urlsplit(Config.PUBLIC_URL).hostname or ""]
    hosts += [host.strip() for host in os.environ.get("TRUSTED_HOSTS", "").split(",") if host.strip()]
    return [host for host in hosts if host]


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    # A request naming another host is refused (400) before any page or link is built from it.
    TRUSTED_HOSTS = _trusted_hosts()
    HSTS_SECONDS = 365 * 24 * 3600

    REQUIRE_STRONG_SECRET_KEY = True


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}

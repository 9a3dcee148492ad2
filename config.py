"""Configuration read from the environment.

Every setting has a safe development default except SECRET_KEY in production:
`ProductionConfig.validate()` refuses to start without a real one.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"

DEV_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - the marker production refuses


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'smallgrants.sqlite'}"
    # Heroku-style URLs name the old driver; we use psycopg 3.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://") :]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


class Config:
    ENV_NAME = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY") or DEV_SECRET_KEY
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    # Languages and time
    LANGUAGES = ("kk", "ru", "en")
    BABEL_DEFAULT_LOCALE = os.environ.get("BABEL_DEFAULT_LOCALE", "kk")
    BABEL_DEFAULT_TIMEZONE = "UTC"  # stored; shown in TIMEZONE
    TIMEZONE = os.environ.get("TIMEZONE", "Asia/Almaty")

    # Uploads
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR") or str(INSTANCE_DIR / "uploads")
    MAX_CONTENT_LENGTH = _int("MAX_CONTENT_LENGTH", 20 * 1024 * 1024)
    UPLOAD_MAX_FILE_BYTES = _int("UPLOAD_MAX_FILE_BYTES", 10 * 1024 * 1024)
    UPLOAD_MAX_APPLICATION_BYTES = _int("UPLOAD_MAX_APPLICATION_BYTES", 30 * 1024 * 1024)
    # a DOCX or XLSX is a ZIP archive: refused when it would unpack to more than this
    UPLOAD_MAX_UNPACKED_BYTES = _int("UPLOAD_MAX_UNPACKED_BYTES", 50 * 1024 * 1024)

    # E-mail. MAIL_BACKEND "console" prints messages instead of sending them.
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "console")
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = _int("MAIL_PORT", 25)
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _bool("MAIL_USE_SSL", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "smallgrants <noreply@localhost>")
    # Send a request's queued mail once its response has gone out (else `flask outbox send`).
    MAIL_SEND_ON_COMMIT = _bool("MAIL_SEND_ON_COMMIT", True)
    # tries before a message is given up; the waits between them double from 1 minute to a day
    OUTBOX_MAX_ATTEMPTS = _int("OUTBOX_MAX_ATTEMPTS", 20)
    # Grantees are reminded this many days before a report is due (and once when overdue).
    REPORT_REMINDER_DAYS = _int("REPORT_REMINDER_DAYS", 3)

    # Absolute links in e-mails when there is no request (CLI)
    SERVER_NAME = os.environ.get("SERVER_NAME") or None
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000")

    PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME", "http")

    # Security
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # a sign-in lasts at most this long (with "remember me", across browser restarts)
    REMEMBER_COOKIE_DURATION = timedelta(days=_int("REMEMBER_DAYS", 30))
    # signed out after this long without a request; 0: never (coordinators and admins have
    # no remember-me and their own, shorter limit)
    IDLE_TIMEOUT_MINUTES = _int("IDLE_TIMEOUT_MINUTES", 0)
    IDLE_TIMEOUT_PRIVILEGED_MINUTES = _int("IDLE_TIMEOUT_PRIVILEGED_MINUTES", 120)
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # a long application form must not lose its token
    EMAIL_TOKEN_MAX_AGE = _int("EMAIL_TOKEN_MAX_AGE", 3 * 24 * 3600)
    PASSWORD_RESET_MAX_AGE = _int("PASSWORD_RESET_MAX_AGE", 3600)
    PASSWORD_MIN_LENGTH = _int("PASSWORD_MIN_LENGTH", 10)

    # How many reverse proxies in front set X-Forwarded-For/-Proto/-Host (0: none, the
    # address of the connection is the client's). Throttling and the audit log use it.
    TRUSTED_PROXIES = _int("TRUSTED_PROXIES", 0)
    # Rate limits (Flask-Limiter); memory storage by default, redis:// in production
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    # Once the application is built, its objects (models, metadata, routes, translations) are
    # moved out of the garbage collector's reach (gc.freeze): a full collection then scans
    # only what requests made — on a 600 KB page, p95 272 → 163 ms in-process.
    GC_FREEZE = _bool("GC_FREEZE", True)
    # Rendered lists of competitions each worker keeps while the rows they show are unchanged
    # (core/fragments.py); 0 renders every request
    FRAGMENT_CACHE_SIZE = _int("FRAGMENT_CACHE_SIZE", 256)
    RATELIMIT_HEADERS_ENABLED = True  # X-RateLimit-* and Retry-After: an API client waits
    LOGIN_LIMIT_PER_IP = os.environ.get("LOGIN_LIMIT_PER_IP", "20 per 10 minutes")
    LOGIN_LIMIT_PER_ACCOUNT = os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "5 per 10 minutes")
    EMAIL_LIMIT_PER_IP = os.environ.get("EMAIL_LIMIT_PER_IP", "10 per hour")
    # The read-only API, per token (per address for requests without one)
    API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "120 per minute")
    API_ADDRESS_RATE_LIMIT = os.environ.get("API_ADDRESS_RATE_LIMIT", "600 per minute")

    DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "demo-password-2023")

    @classmethod
    def validate(cls) -> None:
        """Refuse configurations that must never run."""


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME", "https")
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")

    @classmethod
    def validate(cls) -> None:
        workers = _int("WEB_CONCURRENCY", 1)
        if cls.RATELIMIT_STORAGE_URI.startswith("memory://") and workers > 1:
            raise RuntimeError(
                f"RATELIMIT_STORAGE_URI is memory:// with WEB_CONCURRENCY={workers} workers: "
                "each would count sign-in attempts on its own. Point RATELIMIT_STORAGE_URI at "
                "Redis (redis://host:6379) or run one worker."
            )
        key = os.environ.get("SECRET_KEY", "")
        if not key or key == DEV_SECRET_KEY or len(key) < 32:
            raise RuntimeError(
                "SECRET_KEY must be set to a random value of at least 32 characters "
                "in production (python -c 'import secrets; print(secrets.token_hex(32))')."
            )


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret-key"  # noqa: S105
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or "sqlite://"
    WTF_CSRF_ENABLED = False
    MAIL_BACKEND = "smtp"
    MAIL_SERVER = "127.0.0.1"
    MAIL_PORT = 1  # tests point it at their own SMTP server
    MAIL_DEFAULT_SENDER = "smallgrants <noreply@example.kz>"
    SERVER_NAME = None
    RATELIMIT_STORAGE_URI = "memory://"
    UPLOAD_DIR = ""  # set per test
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105 - fast hashing in tests only
    GC_FREEZE = False  # the suite builds hundreds of applications: let them be collected


CONFIGS = {
    "development": Config,
    "production": ProductionConfig,
    "testing": TestingConfig,
}


def config_from_env() -> type[Config]:
    return CONFIGS[os.environ.get("SMALLGRANTS_ENV", "development")]

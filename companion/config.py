"""Settings read from the environment and checked once at start-up."""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError


class ConfigError(RuntimeError):
    """A setting is missing or invalid; the message is one line meant for the operator."""


@dataclass(frozen=True)
class MailSettings:
    """The SMTP server that sends password reset links (services/mail.py)."""

    server: str
    port: int
    security: str  # "starttls", "ssl" or "none"
    username: str
    password: str
    sender: str
    # The site's address as people reach it: links in mails never come from the request's
    # Host header, which anyone can forge (docs/security.md).
    site_url: str


@dataclass(frozen=True)
class Settings:
    database_url: str
    secret_key: str
    redis_url: str | None
    production: bool
    mail: MailSettings | None = None
    # Reverse proxies in front of the app whose X-Forwarded-For and X-Forwarded-Proto are
    # trusted (web/security.py): 0 ignores those headers, which anyone can send.
    proxy_count: int = 0
    # A staff session ends after this many minutes without a request, and this many hours
    # after its sign-in however busy (web/session.py).
    staff_idle_minutes: int = 30
    staff_session_hours: int = 12


def _secret_key(instance_path: Path, production: bool) -> str:
    value = os.environ.get("SECRET_KEY", "").strip()
    if value:
        if len(value) < 32:
            raise ConfigError("SECRET_KEY is too short: use at least 32 characters.")
        return value
    if production:
        raise ConfigError("SECRET_KEY is required when COMPANION_ENV=production.")
    # Local use: generate once and keep it, so sessions survive a restart.
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    value = secrets.token_urlsafe(48)
    _private_file(key_file, value.encode())
    return value


def _private_file(path: Path, content: bytes = b"") -> None:
    """Create `path` readable by its owner only from its first byte (mode 600, in a 700
    directory): never a moment where another account of the machine could read it."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "wb") as out:
        out.write(content)


def _database_url(instance_path: Path) -> str:
    value = os.environ.get("DATABASE_URL", "").strip()
    if not value:
        # An empty file is an empty SQLite database; SQLite gives its journal and WAL files
        # the database file's mode, so they are private too.
        database = instance_path / "companion.sqlite3"
        _private_file(database)
        return f"sqlite:///{database}"
    try:
        url = make_url(value)
    except ArgumentError:
        raise ConfigError(f"DATABASE_URL is not a valid database URL: {value!r}.") from None
    if url.drivername.startswith("postgres") and url.drivername not in {
        "postgresql",
        "postgresql+psycopg",
    }:
        raise ConfigError(
            "DATABASE_URL must use postgresql:// or postgresql+psycopg:// for PostgreSQL."
        )
    if url.drivername == "postgresql":
        value = str(url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False))
    elif not url.drivername.startswith(("sqlite", "postgresql")):
        raise ConfigError(
            f"DATABASE_URL uses an unsupported engine {url.drivername!r}: use sqlite or postgresql."
        )
    return value


def _redis_url() -> str | None:
    value = os.environ.get("REDIS_URL", "").strip()
    if not value:
        return None
    if not value.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigError(f"REDIS_URL must start with redis://, rediss:// or unix://: {value!r}.")
    return value


MAIL_SECURITY = ("starttls", "ssl", "none")
_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")


def _mail(production: bool) -> MailSettings | None:
    """MAIL_* settings: none at all (no mail is sent), or a complete and valid set."""
    env = {
        name: os.environ.get(f"MAIL_{name}", "").strip()
        for name in ("SERVER", "PORT", "SECURITY", "USERNAME", "PASSWORD", "SENDER", "SITE_URL")
    }
    if not env["SERVER"]:
        others = [f"MAIL_{name}" for name, value in env.items() if value]
        if others:
            raise ConfigError(f"{others[0]} is set but MAIL_SERVER is not: set both or neither.")
        return None
    security = env["SECURITY"] or "starttls"
    if security not in MAIL_SECURITY:
        raise ConfigError(f"MAIL_SECURITY must be starttls, ssl or none, not {security!r}.")
    default_port = {"starttls": "587", "ssl": "465", "none": "25"}[security]
    port_text = env["PORT"] or default_port
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise ConfigError(f"MAIL_PORT must be a port number (1-65535), not {port_text!r}.")
    if bool(env["USERNAME"]) != bool(env["PASSWORD"]):
        raise ConfigError("MAIL_USERNAME and MAIL_PASSWORD go together: set both or neither.")
    if not _EMAIL.match(env["SENDER"]):
        raise ConfigError(
            f"MAIL_SENDER must be the address mails come from, not {env['SENDER']!r}."
        )
    site = urlsplit(env["SITE_URL"])
    if (
        site.scheme not in {"http", "https"}
        or not site.netloc
        or site.path not in {"", "/"}
        or site.query
        or site.fragment
    ):
        raise ConfigError(
            "MAIL_SITE_URL must be the site's scheme and host, e.g. https://compagnon.example.org, "
            f"not {env['SITE_URL']!r}."
        )
    if production and site.scheme != "https":
        raise ConfigError("MAIL_SITE_URL must start with https:// when COMPANION_ENV=production.")
    return MailSettings(
        server=env["SERVER"],
        port=int(port_text),
        security=security,
        username=env["USERNAME"],
        password=env["PASSWORD"],
        sender=env["SENDER"],
        site_url=env["SITE_URL"].rstrip("/"),
    )


MAX_PROXY_COUNT = 5


def _proxy_count() -> int:
    value = os.environ.get("PROXY_COUNT", "").strip() or "0"
    if not value.isascii() or not value.isdigit() or int(value) > MAX_PROXY_COUNT:
        raise ConfigError(
            f"PROXY_COUNT must be a whole number from 0 to {MAX_PROXY_COUNT} "
            f"(the reverse proxies in front of the app), not {value!r}."
        )
    return int(value)


def _whole_number(name: str, default: int, low: int, high: int, unit: str) -> int:
    value = os.environ.get(name, "").strip() or str(default)
    if not value.isascii() or not value.isdigit() or not low <= int(value) <= high:
        raise ConfigError(
            f"{name} must be a whole number of {unit} from {low} to {high}, not {value!r}."
        )
    return int(value)


def load_settings(instance_path: Path) -> Settings:
    """Read and validate the environment; raise ConfigError with a one-line reason."""
    env = os.environ.get("COMPANION_ENV", "development").strip() or "development"
    if env not in {"development", "production"}:
        raise ConfigError(f"COMPANION_ENV must be 'development' or 'production', not {env!r}.")
    production = env == "production"
    return Settings(
        database_url=_database_url(instance_path),
        secret_key=_secret_key(instance_path, production),
        redis_url=_redis_url(),
        production=production,
        mail=_mail(production),
        proxy_count=_proxy_count(),
        staff_idle_minutes=_whole_number("STAFF_IDLE_MINUTES", 30, 2, 24 * 60, "minutes"),
        staff_session_hours=_whole_number("STAFF_SESSION_HOURS", 12, 1, 7 * 24, "hours"),
    )


def flask_config(settings: Settings) -> dict[str, Any]:
    """Flask configuration derived from the validated settings."""
    return {
        "SECRET_KEY": settings.secret_key,
        "SQLALCHEMY_DATABASE_URI": settings.database_url,
        # A pooled PostgreSQL connection may have been closed by a restart of the server:
        # each is tried before use. A SQLite file has no server to lose, and the ping would
        # be one statement more on every request.
        "SQLALCHEMY_ENGINE_OPTIONS": {
            "pool_pre_ping": not settings.database_url.startswith("sqlite")
        },
        "REDIS_URL": settings.redis_url,
        "PRODUCTION": settings.production,
        # None: no mail is sent, "Mot de passe oublié ?" says to ask the direction.
        "MAIL": settings.mail,
        "PROXY_COUNT": settings.proxy_count,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": settings.production,
        "REMEMBER_COOKIE_SECURE": settings.production,
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": "fr",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Paris",
        "BABEL_TRANSLATION_DIRECTORIES": str(
            Path(__file__).resolve().parent.parent / "translations"
        ),
        "CONTENT_DIR": str(Path(__file__).resolve().parent.parent / "content"),
        "MAX_CONTENT_LENGTH": 256 * 1024,
        # Seconds of inactivity before a learner is signed out of a kiosk.
        "KIOSK_IDLE_SECONDS": 180,
        # Seconds the "are you still there?" warning stays before sign-out.
        "KIOSK_WARNING_SECONDS": 30,
        # Staff sessions: minutes without a request, then hours after the sign-in, before
        # they end (web/session.py; docs/security.md).
        "STAFF_IDLE_MINUTES": settings.staff_idle_minutes,
        "STAFF_SESSION_HOURS": settings.staff_session_hours,
        # Seconds the staff pages' "are you still there?" warning stays before the sign-out.
        "STAFF_WARNING_SECONDS": 60,
        # The territorial view of the diagnostics shows no figure below this many structures.
        "DIAGNOSTIC_K_ANONYMITY": 5,
    }

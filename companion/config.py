"""Settings read from the environment and checked once at start-up."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError


class ConfigError(RuntimeError):
    """A setting is missing or invalid; the message is one line meant for the operator."""


@dataclass(frozen=True)
class Settings:
    database_url: str
    secret_key: str
    redis_url: str | None
    production: bool


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
    instance_path.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    key_file.write_text(value, encoding="utf-8")
    key_file.chmod(0o600)
    return value


def _database_url(instance_path: Path) -> str:
    value = os.environ.get("DATABASE_URL", "").strip()
    if not value:
        instance_path.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{instance_path / 'companion.sqlite3'}"
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
    )


def flask_config(settings: Settings) -> dict[str, Any]:
    """Flask configuration derived from the validated settings."""
    return {
        "SECRET_KEY": settings.secret_key,
        "SQLALCHEMY_DATABASE_URI": settings.database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "REDIS_URL": settings.redis_url,
        "PRODUCTION": settings.production,
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
    }

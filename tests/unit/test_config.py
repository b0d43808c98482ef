"""Configuration is read from the environment and refused with a one-line reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from companion import create_app
from companion.config import ConfigError, flask_config, load_settings


def test_secret_key_is_generated_once_for_local_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("COMPANION_ENV", raising=False)
    first = load_settings(tmp_path)
    second = load_settings(tmp_path)
    assert first.secret_key == second.secret_key
    assert len(first.secret_key) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_default_database_is_sqlite_in_instance(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert load_settings(tmp_path).database_url == f"sqlite:///{tmp_path / 'companion.sqlite3'}"


def test_postgresql_url_uses_psycopg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/x")
    assert load_settings(tmp_path).database_url.startswith("postgresql+psycopg://")


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("DATABASE_URL", "not a url", "DATABASE_URL is not a valid"),
        ("DATABASE_URL", "mysql://root@localhost/x", "unsupported engine"),
        ("REDIS_URL", "http://localhost", "REDIS_URL must start"),
        ("COMPANION_ENV", "staging", "COMPANION_ENV must be"),
        ("SECRET_KEY", "short", "SECRET_KEY is too short"),
        ("PROXY_COUNT", "-1", "PROXY_COUNT must be a whole number from 0 to 5"),
        ("PROXY_COUNT", "one", "PROXY_COUNT must be a whole number from 0 to 5"),
        ("PROXY_COUNT", "6", "PROXY_COUNT must be a whole number from 0 to 5"),
        ("PROXY_COUNT", "١", "PROXY_COUNT must be a whole number from 0 to 5"),
        ("STAFF_IDLE_MINUTES", "0", "STAFF_IDLE_MINUTES must be a whole number of minutes"),
        ("STAFF_IDLE_MINUTES", "half", "STAFF_IDLE_MINUTES must be a whole number of minutes"),
        ("STAFF_SESSION_HOURS", "0", "STAFF_SESSION_HOURS must be a whole number of hours"),
        ("STAFF_SESSION_HOURS", "999", "STAFF_SESSION_HOURS must be a whole number of hours"),
    ],
)
def test_invalid_settings_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, value: str, words: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=words):
        load_settings(tmp_path)


def test_proxy_count_defaults_to_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PROXY_COUNT", raising=False)
    assert load_settings(tmp_path).proxy_count == 0
    monkeypatch.setenv("PROXY_COUNT", " 2 ")
    assert load_settings(tmp_path).proxy_count == 2


def test_staff_session_lifetimes_default_to_30_minutes_and_12_hours(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STAFF_IDLE_MINUTES", raising=False)
    monkeypatch.delenv("STAFF_SESSION_HOURS", raising=False)
    settings = load_settings(tmp_path)
    assert (settings.staff_idle_minutes, settings.staff_session_hours) == (30, 12)
    monkeypatch.setenv("STAFF_IDLE_MINUTES", "15")
    monkeypatch.setenv("STAFF_SESSION_HOURS", "8")
    settings = load_settings(tmp_path)
    assert (settings.staff_idle_minutes, settings.staff_session_hours) == (15, 8)


def test_production_requires_secret_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMPANION_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY is required"):
        load_settings(tmp_path)


def test_start_up_stops_with_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", "oracle://nope")
    with pytest.raises(SystemExit) as excinfo:
        create_app()
    assert excinfo.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("Configuration error: DATABASE_URL")


MAIL_OK = {
    "MAIL_SERVER": "smtp.example.org",
    "MAIL_SENDER": "ne-pas-repondre@compagnon.example.org",
    "MAIL_SITE_URL": "https://compagnon.example.org/",
}


def _mail_env(monkeypatch: pytest.MonkeyPatch, **values: str) -> None:
    for name in ("SERVER", "PORT", "SECURITY", "USERNAME", "PASSWORD", "SENDER", "SITE_URL"):
        monkeypatch.delenv(f"MAIL_{name}", raising=False)
    for name, value in values.items():
        monkeypatch.setenv(name, value)


def test_mail_is_off_without_settings_and_complete_with_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _mail_env(monkeypatch)
    assert load_settings(tmp_path).mail is None
    _mail_env(monkeypatch, **MAIL_OK)
    mail = load_settings(tmp_path).mail
    assert mail is not None
    assert (mail.port, mail.security, mail.username) == (587, "starttls", "")
    assert mail.site_url == "https://compagnon.example.org"
    _mail_env(monkeypatch, **MAIL_OK, MAIL_SECURITY="ssl", MAIL_USERNAME="u", MAIL_PASSWORD="p")
    mail = load_settings(tmp_path).mail
    assert mail is not None
    assert (mail.port, mail.security, mail.username, mail.password) == (465, "ssl", "u", "p")


@pytest.mark.parametrize(
    ("values", "words"),
    [
        ({"MAIL_SENDER": "x@example.org"}, "MAIL_SENDER is set but MAIL_SERVER is not"),
        ({**MAIL_OK, "MAIL_PORT": "smtp"}, "MAIL_PORT must be a port number"),
        ({**MAIL_OK, "MAIL_PORT": "70000"}, "MAIL_PORT must be a port number"),
        ({**MAIL_OK, "MAIL_SECURITY": "tls"}, "MAIL_SECURITY must be starttls, ssl or none"),
        ({**MAIL_OK, "MAIL_USERNAME": "u"}, "MAIL_USERNAME and MAIL_PASSWORD go together"),
        ({**MAIL_OK, "MAIL_SENDER": "pas une adresse"}, "MAIL_SENDER must be"),
        ({**MAIL_OK, "MAIL_SITE_URL": ""}, "MAIL_SITE_URL must be the site's scheme and host"),
        ({**MAIL_OK, "MAIL_SITE_URL": "https://x.org/app"}, "MAIL_SITE_URL must be the site's"),
        ({**MAIL_OK, "MAIL_SITE_URL": "ftp://x.org"}, "MAIL_SITE_URL must be the site's"),
    ],
)
def test_invalid_mail_settings_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, values: dict[str, str], words: str
) -> None:
    _mail_env(monkeypatch, **values)
    with pytest.raises(ConfigError, match=words):
        load_settings(tmp_path)


def test_production_mail_links_use_https(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMPANION_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    _mail_env(monkeypatch, **{**MAIL_OK, "MAIL_SITE_URL": "http://compagnon.example.org"})
    with pytest.raises(ConfigError, match="https:// when COMPANION_ENV=production"):
        load_settings(tmp_path)


def test_pooled_connections_are_pinged_on_postgresql_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A PostgreSQL restart leaves dead connections in the pool: each is tried before use.
    A SQLite file has no server to lose, so no ping (a statement less per request)."""
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/x")
    options = flask_config(load_settings(tmp_path))["SQLALCHEMY_ENGINE_OPTIONS"]
    assert options["pool_pre_ping"] is True
    monkeypatch.delenv("DATABASE_URL")
    options = flask_config(load_settings(tmp_path))["SQLALCHEMY_ENGINE_OPTIONS"]
    assert options["pool_pre_ping"] is False

"""Opening the application database, always migrated to the newest schema.

The schema is owned by Alembic from day one: ``open_database`` upgrades to head before it hands
out sessions, so a store created by an older version is brought up to date on first use, on
SQLite and PostgreSQL alike. The migration scripts live in the package
(``schildwacht/app/migrations``) and take their connection from the code, not from an ini file.

A new migration, after changing a model::

    python -c "from alembic import command; from schildwacht.app.db import alembic_config; \\
      command.revision(alembic_config('sqlite:///dev.db'), autogenerate=True, message='...')"

(run it against a database at the current head; review the generated script by hand).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from schildwacht.config import Settings

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_SECONDS = 30


def alembic_config(url: str | None = None, connection: sa.Connection | None = None) -> Config:
    """An Alembic configuration for the packaged migrations, without an ini file."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def create_database_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets foreign keys on and its folder created.

    SQLite enforces foreign keys only when asked per connection; turning them on makes it
    refuse what PostgreSQL would refuse, so a mistake shows up in tests, not in production.
    An in-memory SQLite database keeps one shared connection, or each session would see an
    empty database.

    SQLite transactions start with ``BEGIN IMMEDIATE``: the web app serves requests from
    several threads, and a transaction that reads (the audit trail's last entry) before it
    writes would otherwise deadlock with another doing the same, or number two entries
    alike. Taking the write lock at the start serialises transactions; they are short, and
    others wait up to ``SQLITE_BUSY_SECONDS`` for it.
    """
    parsed = make_url(url)
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database in ("", ":memory:"):
            kwargs = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
        else:
            Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, **kwargs)
    if parsed.get_backend_name() == "sqlite":

        @sa.event.listens_for(engine, "connect")
        def _foreign_keys(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN, not the driver
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_SECONDS * 1000}")
            cursor.close()

        @sa.event.listens_for(engine, "begin")
        def _immediate(connection: sa.Connection) -> None:
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def upgrade_to_head(engine: Engine) -> None:
    """Apply every migration the database has not had yet (a no-op when current)."""
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection=connection), "head")


def open_database(settings_or_url: Settings | str) -> sessionmaker[Session]:
    """Sessions on the application database, after migrating it to the newest schema.

    Objects stay readable after commit (``expire_on_commit=False``) because services hand
    back plain values and the CLI prints them after the transaction has ended.
    """
    url = settings_or_url if isinstance(settings_or_url, str) else settings_or_url.database.url
    if not url:
        raise ValueError("no database URL: load settings with load_settings(store_root)")
    engine = create_database_engine(url)
    upgrade_to_head(engine)
    return sessionmaker(engine, expire_on_commit=False)

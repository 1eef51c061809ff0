"""Which application database the tests run on: SQLite by default, or a real PostgreSQL.

``scripts/with_postgres.sh`` starts a throwaway PostgreSQL server and sets
``SCHILDWACHT_TEST_POSTGRES`` to its URL (``make test`` runs the app, web and CLI tests a
second time that way). Then every test gets a database of its own on that server, made in
about 0.1 s as a copy (``CREATE DATABASE ... TEMPLATE``) of one migrated once per run, and its
URL in ``SCHILDWACHT_DATABASE_URL``, which ``config.load_settings`` obeys everywhere: the CLI,
the web app, detection. A copied store (``tests.web.town.copy_store``) copies the town's
database into the test's own. Without the variable nothing changes: each store keeps its
SQLite file.
"""

from __future__ import annotations

import os
import uuid

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url

SERVER_ENV = "SCHILDWACHT_TEST_POSTGRES"
PREFIX = "swtest_"

_state: dict[str, str] = {}


def on_postgres() -> bool:
    """Whether this run's application databases are on PostgreSQL."""
    return bool(os.environ.get(SERVER_ENV))


def _admin() -> Engine:
    """A connection to the server's maintenance database, outside any transaction (CREATE and
    DROP DATABASE refuse to run inside one)."""
    if "admin" not in _state:
        _state["admin"] = os.environ[SERVER_ENV]
    return sa.create_engine(_state["admin"], isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)


def _url(name: str) -> str:
    return make_url(os.environ[SERVER_ENV]).set(database=name).render_as_string(False)


def _release(name: str, admin: sa.Connection) -> None:
    """End other sessions on ``name``: a template copy needs the source to be idle, and a
    test's pooled connections may outlive it."""
    admin.execute(
        sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = :name AND pid <> pg_backend_pid()"),
        {"name": name},
    )  # fmt: skip


def _migrated() -> str:
    """The database every test database is copied from, migrated once per run."""
    if "template" not in _state:
        from schildwacht.app.db import create_database_engine, upgrade_to_head

        name = f"{PREFIX}template_{uuid.uuid4().hex[:8]}"
        with _admin().connect() as admin:
            admin.execute(sa.text(f'CREATE DATABASE "{name}"'))
        engine = create_database_engine(_url(name))
        upgrade_to_head(engine)
        engine.dispose()
        _state["template"] = name
    return _state["template"]


def new_database(template: str | None = None) -> str:
    """A new database copied from ``template`` (a database name; default: the migrated
    empty one); returns its URL."""
    source = template or _migrated()
    name = f"{PREFIX}{uuid.uuid4().hex[:12]}"
    with _admin().connect() as admin:
        _release(source, admin)
        admin.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{source}"'))
    return _url(name)


def replace_with_copy(url: str, template_url: str) -> None:
    """Make the database at ``url`` a fresh copy of the one at ``template_url``."""
    name, source = make_url(url).database, make_url(template_url).database
    with _admin().connect() as admin:
        _release(name or "", admin)
        admin.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        _release(source or "", admin)
        admin.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{source}"'))


def drop(url: str) -> None:
    """Drop a test's database (its connections are ended first)."""
    name = make_url(url).database or ""
    with _admin().connect() as admin:
        _release(name, admin)
        admin.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))


def drop_all() -> None:
    """Drop every database this run made (the server is thrown away too, but a developer
    may point the variable at a long-lived one)."""
    if not on_postgres() or "admin" not in _state:
        return
    with _admin().connect() as admin:
        names = admin.execute(
            sa.text("SELECT datname FROM pg_database WHERE datname LIKE :p"),
            {"p": f"{PREFIX}%"},
        ).scalars()
        for name in list(names):
            _release(name, admin)
            admin.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))

"""Helpers for the web-app service tests: fresh databases, cheap users, stored alerts, and
the audit trail.

The ``session`` fixture of ``tests/app/conftest.py`` gives each test a migrated database in
one transaction; a test module that overrides ``sessions`` with ``fresh_database`` gets the
same schema in a few milliseconds instead of running every migration again.
"""

from __future__ import annotations

import functools
import sqlite3
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from schildwacht.app.alerts.service import upsert_alerts
from schildwacht.app.audit.models import AuditEntry, AuditRecord
from schildwacht.app.audit.service import verify
from schildwacht.app.auth.models import User, UserRecord
from schildwacht.app.db import create_database_engine, open_database, upgrade_to_head
from schildwacht.app.detection_runs.service import start_run
from schildwacht.detect.model import AlertCandidate
from tests import databases
from tests.app.conftest import T0, candidate

NO_PASSWORD = "!no-password"
"""Not an Argon2 hash, so nobody can sign in as a user made by ``make_user``."""


@functools.cache
def _migrated_template() -> sqlite3.Connection:
    """An in-memory database brought to the newest schema by the real migrations, once."""
    engine = create_database_engine("sqlite://")
    upgrade_to_head(engine)
    template = engine.raw_connection().driver_connection
    assert isinstance(template, sqlite3.Connection)
    return template


def fresh_database() -> sessionmaker[Session]:
    """Sessions on a new in-memory database: a copy of the migrated template.

    Equivalent to ``open_database("sqlite://")`` (same engine set-up, foreign keys on), but
    the migrations run once per test session rather than once per test.
    """
    if databases.on_postgres():  # a copy of the migrated template on the server
        return open_database(databases.new_database())
    engine = create_database_engine("sqlite://")
    with engine.connect() as connection:  # a StaticPool: every session uses this connection
        target = connection.connection.driver_connection
        assert isinstance(target, sqlite3.Connection)
        _migrated_template().backup(target)
    return sessionmaker(engine, expire_on_commit=False)


def make_user(session: Session, username: str, *roles: str, active: bool = True) -> User:
    """A user holding ``roles``, written directly (no Argon2 hashing: fast, cannot sign in).

    For tests of services that only need an actor; the sign-in tests use ``add_user``.
    """
    row = UserRecord(
        username=username,
        display_name=username.title(),
        roles=list(roles),
        password_hash=NO_PASSWORD,
        must_change_password=False,
        active=active,
        failed_logins=0,
        created_at=T0,
    )
    session.add(row)
    session.flush()
    return User.from_record(row)


def make_alerts(session: Session, *candidates: AlertCandidate, now: datetime = T0) -> list[str]:
    """Store ``candidates`` as new alerts, the way detection does; returns their ids."""
    run_id = start_run(session, started_at=now)
    upsert_alerts(session, candidates=list(candidates), run_id=run_id, now=now)
    return [c.alert_id for c in candidates]


def make_alert(
    session: Session, alert_id: str, *, employee_id: str = "e00001", score: float = 72.5
) -> str:
    """One stored alert about ``employee_id`` with ``score``."""
    (stored,) = make_alerts(session, candidate(alert_id, employee_id=employee_id, score=score))
    return stored


def audit_entries(session: Session) -> list[AuditEntry]:
    """The whole audit trail, oldest first."""
    rows = session.execute(sa.select(AuditRecord).order_by(AuditRecord.seq)).scalars()
    return [AuditEntry.from_record(r) for r in rows]


def audit_actions(session: Session) -> list[tuple[str, str, str | None]]:
    """(actor, action, target) of every audit entry, oldest first."""
    return [(e.actor, e.action, e.target) for e in audit_entries(session)]


def assert_audit_intact(session: Session, *, entries: int) -> None:
    """The trail holds ``entries`` entries and its hash chain verifies."""
    result = verify(session)
    assert result.ok, result.problem
    assert result.checked == entries

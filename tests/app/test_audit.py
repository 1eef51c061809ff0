"""The audit trail is append-only in effect: any change, removal or insertion is found."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from schildwacht.app.audit.models import AuditRecord
from schildwacht.app.audit.service import append, recent, verify
from schildwacht.app.db import open_database
from schildwacht.config import DATABASE_URL_ENV


def _trail(tmp_path: Path, n: int = 5) -> tuple[str, Path]:
    """Five entries in the test's database (PostgreSQL when the run uses it, else the
    store's SQLite file)."""
    path = tmp_path / "schildwacht.db"
    url = os.environ.get(DATABASE_URL_ENV) or f"sqlite:///{path}"
    with open_database(url).begin() as session:
        for i in range(n):
            append(
                session,
                actor=f"user{i % 2}",
                action="view_alert",
                target=f"A-{i}",
                details={"i": i},
                now=datetime(2026, 3, 2, 10, i, tzinfo=UTC),
            )
    return url, path


def _tamper(url: str, statement: str) -> None:
    """Change the table behind the application's back, as someone with database access
    could: plain SQL on a connection of its own."""
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql(statement)
    engine.dispose()


def test_intact_trail_verifies_and_lists_newest_first(tmp_path: Path) -> None:
    url, _ = _trail(tmp_path)
    with open_database(url)() as session:
        result = verify(session)
        assert (result.ok, result.checked) == (True, 5)
        assert [e.seq for e in recent(session, limit=2)] == [5, 4]
        first = recent(session, limit=5)[-1]
        assert first.prev_hash == "0" * 64


def test_changed_entry_is_found(tmp_path: Path) -> None:
    url, _ = _trail(tmp_path)
    _tamper(url, "UPDATE audit_log SET actor = 'someone else' WHERE seq = 3")
    with open_database(url)() as session:
        result = verify(session)
    assert not result.ok and "entry 3 was changed" in str(result.problem)


def test_removed_entry_is_found(tmp_path: Path) -> None:
    url, _ = _trail(tmp_path)
    _tamper(url, "DELETE FROM audit_log WHERE seq = 2")
    with open_database(url)() as session:
        result = verify(session)
    assert not result.ok and "entry 2 is missing" in str(result.problem)


def test_removing_the_newest_entry_and_rewriting_is_found(tmp_path: Path) -> None:
    url, _ = _trail(tmp_path)
    with open_database(url).begin() as session:  # an insertion without the chain's help
        session.execute(sa.delete(AuditRecord).where(AuditRecord.seq == 5))
        session.add(
            AuditRecord(
                seq=5,
                at=datetime(2026, 3, 2, 11, tzinfo=UTC),
                actor="x",
                action="view_alert",
                target=None,
                details={},
                client=None,
                prev_hash="f" * 64,
                entry_hash="e" * 64,
            )
        )
    with open_database(url)() as session:
        assert not verify(session).ok


def test_cli_verify_exit_codes(tmp_path: Path) -> None:
    store = tmp_path / "store"
    store.mkdir()
    url, _ = _trail(store)
    cmd = [sys.executable, "-m", "schildwacht.cli", "--store", str(store), "audit", "verify"]
    ok = subprocess.run(cmd, capture_output=True, text=True)
    assert ok.returncode == 0 and "5 entries verified" in ok.stdout
    _tamper(url, "UPDATE audit_log SET details = '{\"i\": 99}' WHERE seq = 4")
    broken = subprocess.run(cmd, capture_output=True, text=True)
    assert broken.returncode == 1 and "entry 4 was changed" in broken.stderr

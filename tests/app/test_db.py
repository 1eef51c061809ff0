"""The schema comes from the migrations, matches the models and is portable."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from schildwacht.app.alerts.models import AlertRecord
from schildwacht.app.alerts.service import upsert_alerts
from schildwacht.app.db import alembic_config, create_database_engine, open_database
from schildwacht.app.detection_runs.models import DetectionRunRecord
from schildwacht.app.tables import metadata
from schildwacht.config import load_settings
from tests.app.conftest import candidate


def test_migrations_create_the_schema_from_empty(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    open_database(url)
    engine = sa.create_engine(url)
    names = set(sa.inspect(engine).get_table_names())
    assert {"alerts", "detection_runs", "suppressions", "alembic_version"} <= names
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    with engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == head


def test_head_matches_the_models(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'head.db'}"
    open_database(url)
    with sa.create_engine(url).connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []


def test_opening_twice_is_a_no_op_and_keeps_data(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'twice.db'}"
    with open_database(url).begin() as session:
        session.add(DetectionRunRecord(run_id="r1", started_at=datetime.now(UTC)))
    with open_database(url).begin() as session:
        assert session.get(DetectionRunRecord, "r1") is not None


def test_downgrade_to_base_and_up_again(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'down.db'}"
    open_database(url)
    command.downgrade(alembic_config(url), "base")
    assert "alerts" not in sa.inspect(sa.create_engine(url)).get_table_names()
    command.upgrade(alembic_config(url), "head")
    assert "alerts" in sa.inspect(sa.create_engine(url)).get_table_names()


def test_migrations_render_for_postgresql_without_a_server() -> None:
    config = alembic_config("postgresql://user@localhost/schildwacht")
    config.output_buffer = io.StringIO()
    command.upgrade(config, "head", sql=True)
    ddl = config.output_buffer.getvalue()
    assert "CREATE TABLE alerts" in ddl
    assert "TIMESTAMP WITH TIME ZONE" in ddl
    assert "JSON" in ddl


def test_default_url_is_a_sqlite_file_in_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SCHILDWACHT_DATABASE_URL", raising=False)
    open_database(load_settings(tmp_path))
    assert (tmp_path / "schildwacht.db").is_file()


def test_in_memory_database_is_shared_between_sessions() -> None:
    sessions = open_database("sqlite://")
    with sessions.begin() as session:
        session.add(DetectionRunRecord(run_id="r1", started_at=datetime.now(UTC)))
    with sessions.begin() as session:
        assert session.get(DetectionRunRecord, "r1") is not None


def test_timestamps_come_back_aware_in_utc(sessions: sessionmaker[Session]) -> None:
    cet = timezone(timedelta(hours=1))
    with sessions.begin() as session:
        session.add(
            DetectionRunRecord(run_id="r1", started_at=datetime(2026, 3, 2, 10, tzinfo=cet))
        )
    with sessions() as session:
        started = session.get(DetectionRunRecord, "r1")
        assert started is not None
        assert started.started_at == datetime(2026, 3, 2, 9, tzinfo=UTC)
        assert started.started_at.tzinfo is UTC


def test_naive_timestamps_are_refused(sessions: sessionmaker[Session]) -> None:
    with pytest.raises(sa.exc.StatementError, match="naive datetime"), sessions.begin() as s:
        s.add(DetectionRunRecord(run_id="r1", started_at=datetime(2026, 3, 2, 10)))


def test_foreign_keys_are_enforced_on_sqlite(sessions: sessionmaker[Session]) -> None:
    with pytest.raises(IntegrityError), sessions.begin() as session:
        upsert_alerts(session, candidates=[candidate()], run_id="no-such-run")


def test_engine_creates_the_folder_of_a_sqlite_file(tmp_path: Path) -> None:
    engine = create_database_engine(f"sqlite:///{tmp_path / 'new' / 'deep' / 'x.db'}")
    with engine.connect() as conn:
        conn.execute(sa.text("SELECT 1"))
    assert (tmp_path / "new" / "deep").is_dir()
    assert AlertRecord.__tablename__ == "alerts"

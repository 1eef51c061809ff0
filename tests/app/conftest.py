"""Fixtures for the application database: a migrated SQLite file per test, and candidates."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from schildwacht.app.db import open_database
from schildwacht.app.detection_runs.service import start_run
from schildwacht.detect.model import AlertCandidate, Reason

T0 = datetime(2026, 3, 2, 9, 15, tzinfo=UTC)


@pytest.fixture
def sessions(tmp_path: Path, app_database: str | None) -> sessionmaker[Session]:
    """A migrated database: the test's own PostgreSQL database, or a SQLite file."""
    return open_database(app_database or f"sqlite:///{tmp_path / 'app.db'}")


@pytest.fixture
def session(sessions: sessionmaker[Session]) -> Iterator[Session]:
    with sessions.begin() as s:
        yield s


@pytest.fixture
def run_id(session: Session) -> str:
    return start_run(session)


def candidate(alert_id: str = "a-1", **overrides: Any) -> AlertCandidate:
    """A plausible alert candidate; keyword arguments override its fields."""
    base = AlertCandidate(
        alert_id=alert_id,
        employee_id="e00001",
        subject_bsns=("123456782",),
        scenarios=("family",),
        score=72.5,
        first_seen=T0,
        last_seen=T0 + timedelta(days=3),
        event_ids=("brp:1", "brp:2", "brp:3", "brp:4"),
        summary_nl="Bekeek 4 keer het dossier van zijn ex-partner; geen zaak verklaart dit.",
        summary_en="Viewed his ex-partner's record 4 times; no case explains this.",
        reasons=(
            Reason(
                scenario="family",
                code="relation:ex_partner",
                text_nl="bekeek 4 keer het dossier van zijn ex-partner",
                text_en="viewed his ex-partner's record 4 times",
                points=60.0,
                details={"views": 4},
            ),
        ),
        scenario_versions={"family": "1.0.0"},
    )
    return replace(base, **overrides)

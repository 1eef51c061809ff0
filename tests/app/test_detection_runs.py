"""Detection-run bookkeeping: what a run used, and which event files have been seen."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session, sessionmaker

from schildwacht.app.alerts.service import UpsertCounts
from schildwacht.app.detection_runs.service import (
    finish_run,
    latest_finished_run,
    list_runs,
    processed_event_files,
    start_run,
)

T1 = datetime(2026, 3, 2, 8, tzinfo=UTC)
T2 = datetime(2026, 3, 3, 8, tzinfo=UTC)


def test_finished_runs_record_what_they_used(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        run = start_run(session, started_at=T1)
        done = finish_run(
            session,
            run_id=run,
            counts=UpsertCounts(new=3, unchanged=1),
            sql={"family": "SELECT 1"},
            versions={"family": "1.0.0"},
            files=["events/date=2026-03-01/b.parquet", "events/date=2026-03-01/a.parquet"],
            finished_at=T2,
        )
    assert run.startswith("20260302T080000Z-")
    assert done.counts == {"new": 3, "updated": 0, "unchanged": 1, "retired": 0}
    assert done.event_files == (
        "events/date=2026-03-01/a.parquet",
        "events/date=2026-03-01/b.parquet",
    )
    with sessions() as session:
        (stored,) = list_runs(session)
        assert stored == done
        assert stored.finished_at == T2
        assert stored.compiled_sql == {"family": "SELECT 1"}
        assert latest_finished_run(session) == done


def test_only_finished_runs_count_as_having_seen_files(session: Session) -> None:
    first = start_run(session, started_at=T1)
    finish_run(session, run_id=first, counts={}, sql={}, versions={}, files=["a", "b"])
    start_run(session, started_at=T2)  # never finished: its files are not "seen"
    second = start_run(session, started_at=T2)
    finish_run(session, run_id=second, counts={}, sql={}, versions={}, files=["b", "c"])
    assert processed_event_files(session) == {"a", "b", "c"}
    assert [r.run_id for r in list_runs(session, limit=3)][-1] == first


def test_no_runs_yet(session: Session) -> None:
    assert processed_event_files(session) == set()
    assert latest_finished_run(session) is None

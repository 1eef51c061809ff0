"""Upserting candidates: new, unchanged (nothing written), changed (updated), status kept."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from schildwacht.app.alerts.models import AlertRecord, AlertStatus
from schildwacht.app.alerts.service import (
    UpsertCounts,
    evidence_hash,
    get_alert,
    list_alerts,
    upsert_alerts,
)
from schildwacht.app.detection_runs.service import start_run
from schildwacht.detect.model import AlertCandidate, Reason
from tests.app.conftest import T0, candidate

LATER = datetime(2026, 4, 1, 12, tzinfo=UTC)


def _run(
    sessions: sessionmaker[Session], candidates: list[AlertCandidate], now: datetime
) -> tuple[str, UpsertCounts]:
    with sessions.begin() as session:
        run = start_run(session, started_at=now)
        counts = upsert_alerts(session, candidates=candidates, run_id=run, now=now)
    return run, counts


def _rows(sessions: sessionmaker[Session]) -> list[dict[str, Any]]:
    with sessions() as session:
        result = session.execute(sa.select(AlertRecord.__table__).order_by("alert_id"))
        return [dict(row._mapping) for row in result]


def test_new_alert_is_stored_whole(sessions: sessionmaker[Session]) -> None:
    run, counts = _run(sessions, [candidate()], T0)
    assert counts == UpsertCounts(new=1)
    with sessions() as session:
        alert = get_alert(session, alert_id="a-1")
    assert alert is not None
    assert alert.status == AlertStatus.nieuw
    assert alert.subject_bsns == ("123456782",)
    assert alert.first_seen == T0 and alert.first_seen.tzinfo is UTC
    assert alert.reasons == candidate().reasons
    assert alert.scenario_versions == {"family": "1.0.0"}
    assert alert.created_at == alert.updated_at == T0
    assert alert.last_detection_run_id == run
    assert alert.evidence_hash == evidence_hash(candidate())


def test_unchanged_evidence_changes_nothing(sessions: sessionmaker[Session]) -> None:
    _run(sessions, [candidate(), candidate("a-2", score=30.0)], T0)
    before = _rows(sessions)
    _, counts = _run(sessions, [candidate(), candidate("a-2", score=30.0)], LATER)
    assert counts == UpsertCounts(unchanged=2)
    assert _rows(sessions) == before


def test_changed_evidence_updates_the_alert(sessions: sessionmaker[Session]) -> None:
    _run(sessions, [candidate()], T0)
    changed = candidate(
        event_ids=(*candidate().event_ids, "brp:5"),
        last_seen=T0 + timedelta(days=10),
        score=80.0,
        summary_nl="Bekeek 5 keer het dossier van zijn ex-partner.",
    )
    run, counts = _run(sessions, [changed], LATER)
    assert counts == UpsertCounts(updated=1)
    with sessions() as session:
        alert = get_alert(session, alert_id="a-1")
    assert alert is not None
    assert alert.event_ids[-1] == "brp:5"
    assert alert.score == 80.0
    assert alert.summary_nl.startswith("Bekeek 5 keer")
    assert alert.created_at == T0 and alert.updated_at == LATER
    assert alert.last_detection_run_id == run


def test_workflow_status_survives_an_update(sessions: sessionmaker[Session]) -> None:
    _run(sessions, [candidate()], T0)
    with sessions.begin() as session:
        row = session.get(AlertRecord, "a-1")
        assert row is not None
        row.status = AlertStatus.in_onderzoek.value
    _run(sessions, [candidate(score=90.0)], LATER)
    with sessions() as session:
        alert = get_alert(session, alert_id="a-1")
    assert alert is not None and alert.score == 90.0
    assert alert.status == AlertStatus.in_onderzoek


def test_alerts_missing_from_a_run_are_left_alone(sessions: sessionmaker[Session]) -> None:
    _run(sessions, [candidate(), candidate("a-2")], T0)
    _, counts = _run(sessions, [candidate("a-2")], LATER)
    assert counts == UpsertCounts(unchanged=1)
    with sessions() as session:
        assert get_alert(session, alert_id="a-1") is not None


def test_identical_duplicates_are_stored_once(session: Session, run_id: str) -> None:
    counts = upsert_alerts(session, candidates=[candidate(), candidate()], run_id=run_id)
    assert counts == UpsertCounts(new=1)


def test_differing_duplicates_are_a_bug(session: Session, run_id: str) -> None:
    with pytest.raises(ValueError, match="a-1"):
        upsert_alerts(session, candidates=[candidate(), candidate(score=1.0)], run_id=run_id)


def test_naive_timestamps_are_refused(session: Session, run_id: str) -> None:
    with pytest.raises(ValueError, match="naive"):
        upsert_alerts(
            session, candidates=[candidate(first_seen=datetime(2026, 3, 2))], run_id=run_id
        )


def test_evidence_hash_ignores_float_noise_and_offsets() -> None:
    base = candidate()
    cet = timezone(timedelta(hours=1))
    assert evidence_hash(base) == evidence_hash(replace(base, score=72.5 + 1e-12))
    assert evidence_hash(base) == evidence_hash(replace(base, first_seen=T0.astimezone(cet)))
    reason = replace(base.reasons[0], points=61.0)
    assert evidence_hash(base) != evidence_hash(replace(base, reasons=(reason,)))


def test_reason_details_of_any_type_are_stored(session: Session, run_id: str) -> None:
    reason = Reason("bulk", "volume", "veel", "many", 10.0, {"day": T0.date(), "n": 300})
    upsert_alerts(session, candidates=[candidate(reasons=(reason,))], run_id=run_id)
    alert = get_alert(session, alert_id="a-1")
    assert alert is not None
    assert alert.reasons[0].details == {"day": "2026-03-02", "n": 300}


def test_list_orders_by_score_then_id_and_filters(session: Session, run_id: str) -> None:
    upsert_alerts(
        session,
        candidates=[
            candidate("b", score=50.0),
            candidate("a", score=50.0),
            candidate("c", score=90.0, scenarios=("bulk",), subject_bsns=()),
            candidate("d", score=10.0),
        ],
        run_id=run_id,
    )
    assert [a.alert_id for a in list_alerts(session)] == ["c", "a", "b", "d"]
    assert [a.alert_id for a in list_alerts(session, top=2)] == ["c", "a"]
    assert [a.alert_id for a in list_alerts(session, scenario="family")] == ["a", "b", "d"]
    assert [a.alert_id for a in list_alerts(session, scenario="family", top=1)] == ["a"]
    assert [a.alert_id for a in list_alerts(session, min_score=50)] == ["c", "a", "b"]
    assert list_alerts(session, scenario="leaver") == []

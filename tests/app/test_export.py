"""The alert export is exactly the contract's format, highest score first."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from schildwacht.app.alerts.export import EXPORT_FIELDS
from schildwacht.app.alerts.service import export_alerts, upsert_alerts
from schildwacht.errors import UserError
from tests.app.conftest import candidate

CONTRACT_FIELDS = [
    "alert_id",
    "employee_id",
    "subject_bsns",
    "scenarios",
    "score",
    "first_seen",
    "last_seen",
    "event_ids",
    "summary",
]
SUMMER = datetime(2026, 7, 1, 22, 30, tzinfo=UTC)


@pytest.fixture
def stored(session: Session, run_id: str) -> Session:
    upsert_alerts(
        session,
        candidates=[
            candidate("low", score=21.25),
            candidate(
                "high",
                score=95.0,
                scenarios=("family", "serial"),
                subject_bsns=("123456782", "111222333"),
                first_seen=SUMMER,
                last_seen=SUMMER + timedelta(hours=2),
                summary_nl='Zocht "Jansen", komma, en | streep.',
            ),
            candidate("volume", score=60.0, scenarios=("bulk",), subject_bsns=()),
        ],
        run_id=run_id,
    )
    return session


def test_jsonl_export_matches_the_contract(stored: Session, tmp_path: Path) -> None:
    out = tmp_path / "alerts.jsonl"
    assert export_alerts(stored, fmt="jsonl", output=out) == 3
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["alert_id"] for r in records] == ["high", "volume", "low"]
    assert all(list(r) == CONTRACT_FIELDS for r in records)
    high = records[0]
    assert high["subject_bsns"] == ["123456782", "111222333"]
    assert high["scenarios"] == ["family", "serial"]
    assert high["event_ids"] == ["brp:1", "brp:2", "brp:3", "brp:4"]
    assert high["score"] == 95.0
    assert high["summary"] == 'Zocht "Jansen", komma, en | streep.'
    assert high["first_seen"] == "2026-07-02T00:30:00+02:00"  # summer time, with offset
    assert datetime.fromisoformat(high["last_seen"]) == SUMMER + timedelta(hours=2)
    assert records[1]["subject_bsns"] == []
    assert records[2]["first_seen"] == "2026-03-02T10:15:00+01:00"


def test_csv_export_matches_the_contract(stored: Session, tmp_path: Path) -> None:
    out = tmp_path / "sub" / "alerts.csv"
    export_alerts(stored, fmt="csv", output=out)
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == CONTRACT_FIELDS
    assert [r["alert_id"] for r in rows] == ["high", "volume", "low"]
    assert rows[0]["subject_bsns"].split("|") == ["123456782", "111222333"]
    assert rows[0]["scenarios"] == "family|serial"
    assert rows[0]["event_ids"] == "brp:1|brp:2|brp:3|brp:4"
    assert rows[0]["summary"] == 'Zocht "Jansen", komma, en | streep.'
    assert float(rows[2]["score"]) == 21.25
    assert rows[1]["subject_bsns"] == ""
    assert datetime.fromisoformat(rows[0]["first_seen"]).utcoffset() == timedelta(hours=2)


def test_export_of_no_alerts_is_an_empty_file(session: Session, tmp_path: Path) -> None:
    out = tmp_path / "alerts.jsonl"
    assert export_alerts(session, fmt="jsonl", output=out) == 0
    assert out.read_text() == ""


def test_unknown_format_is_a_user_error(session: Session, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="jsonl, csv"):
        export_alerts(session, fmt="xml", output=tmp_path / "x")


def test_export_fields_are_the_contract_fields() -> None:
    assert list(EXPORT_FIELDS) == CONTRACT_FIELDS


def test_export_fields_follow_the_shared_contract_text() -> None:
    contract = Path(__file__).resolve().parents[3] / "shared" / "contract" / "CONTRACT.md"
    if not contract.exists():
        pytest.skip("shared/contract/CONTRACT.md is not beside the repository")
    section = contract.read_text(encoding="utf-8").split("## alerts", 1)[1].split("\n## ", 1)[0]
    names: list[str] = []
    for line in section.splitlines():
        cell = line.split("|")[1].strip() if line.startswith("| ") else ""
        if cell and cell not in ("field", "---"):
            names += [n.strip() for n in cell.split(",")]
    assert names == CONTRACT_FIELDS

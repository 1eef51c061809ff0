"""The breach register (Art. 33(5)): every breach, notified or not, with its reasoning."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

import schildwacht.cli_state
from schildwacht.app.audit.service import recent, verify
from schildwacht.app.breaches.register import COLUMNS
from schildwacht.app.breaches.service import (
    confirm_decision,
    decide,
    mark_notified,
    open_by_hand,
    open_from_dossier,
)
from schildwacht.app.db import open_database
from schildwacht.cli_breach import breach_app
from schildwacht.config import load_settings
from schildwacht.store.store import Store
from tests.app.breach_factories import CLOSED_AT, dossier_with, make_team

AWARE = CLOSED_AT + timedelta(hours=2)
runner = CliRunner()


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.delenv("SCHILDWACHT_DATABASE_URL", raising=False)
    monkeypatch.setattr(schildwacht.cli_state.State, "store", Store(tmp_path))
    yield tmp_path


def _two_breaches(session: Session) -> None:
    """One notified in time from a confirmed dossier; one not notified, confirmed by the FG."""
    team = make_team(session)
    dossier = dossier_with(session, team)
    notified = open_from_dossier(
        session, dossier_id=dossier, user=team.po1, aware_at=AWARE, note="Dossier bevestigd.",
        now=AWARE,
    )  # fmt: skip
    later = AWARE + timedelta(hours=30)
    mark_notified(session, breach_id=notified.breach_id, user=team.po1, notified_at=later,
                  now=later)  # fmt: skip
    quiet = open_by_hand(
        session, origin="manager", title="Tikfout direct gemeld", user=team.po1,
        aware_at=AWARE, note="Collega meldde het zelf direct.", now=AWARE,
    )  # fmt: skip
    proposal = decide(
        session, breach_id=quiet.breach_id, user=team.po1, kind="notify_ap", value=False,
        reason="Eén raadpleging, direct gemeld, geen verdere verwerking: geen risico.",
        now=AWARE + timedelta(hours=1),
    )  # fmt: skip
    confirm_decision(session, breach_id=quiet.breach_id, decision_id=proposal.decision_id,
                     user=team.fg, now=AWARE + timedelta(hours=2))  # fmt: skip


def test_the_register_holds_every_breach_notified_or_not(store: Path, tmp_path: Path) -> None:
    with open_database(load_settings(store)).begin() as session:
        _two_breaches(session)
    output = tmp_path / "register.csv"
    done = runner.invoke(breach_app, ["export", "--output", str(output)])
    assert done.exit_code == 0, done.output
    with output.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == COLUMNS and len(rows) == 2
    by_title = {r["title"]: r for r in rows}
    quiet = by_title["Tikfout direct gemeld"]
    assert quiet["notify_ap"] == "nee" and quiet["notify_ap_confirmed_by"] == "fenna"
    assert "geen risico" in quiet["notify_ap_reason"]
    notified = next(r for r in rows if r["title"] != "Tikfout direct gemeld")
    assert notified["notified_at"] and notified["affected_people"] == "1"
    deadline = datetime.fromisoformat(notified["deadline"])
    assert deadline - datetime.fromisoformat(notified["aware_at"]) == timedelta(hours=72)
    assert deadline.utcoffset() is not None and AWARE.tzinfo is UTC
    assert "123456782" not in output.read_text(encoding="utf-8-sig")  # citizens as counts
    with open_database(load_settings(store)).begin() as session:
        (entry,) = recent(session, limit=1)
        assert entry.action == "breach_register_exported" and entry.details["breaches"] == 2
        assert verify(session).ok


def test_breach_list_shows_what_is_outstanding(store: Path) -> None:
    assert "No breaches registered" in runner.invoke(breach_app, ["list"]).output
    with open_database(load_settings(store)).begin() as session:
        _two_breaches(session)
    shown = runner.invoke(breach_app, ["list"], env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.output
    assert "Tikfout direct gemeld" in shown.output and "notified" in shown.output

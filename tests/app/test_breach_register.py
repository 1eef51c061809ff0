"""The breach register (Art. 33(5)): every breach, notified or not, with its reasoning."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pypdf
import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

import schildwacht.cli_state
from schildwacht.app.audit.service import recent, verify
from schildwacht.app.breaches.documents import register_pdf
from schildwacht.app.breaches.models import Breach
from schildwacht.app.breaches.register import COLUMNS, register_row
from schildwacht.app.breaches.service import (
    add_addition,
    add_measure,
    confirm_decision,
    decide,
    get_breach,
    mark_notified,
    open_by_hand,
    open_from_dossier,
)
from schildwacht.app.db import open_database
from schildwacht.app.people.pseudonyms import Pseudonymiser
from schildwacht.cli_breach import breach_app
from schildwacht.config import load_settings
from schildwacht.store.store import Store
from tests.app.breach_factories import CLOSED_AT, dossier_with, make_team

AWARE = CLOSED_AT + timedelta(hours=2)
runner = CliRunner()


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
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


# --- Measures, notices and the PDF --------------------------------------------------------


def _handled(session: Session) -> tuple[Breach, Pseudonymiser]:
    """A breach with a measure, an initial notification with an AP reference, an addition."""
    team = make_team(session)
    dossier = dossier_with(session, team)
    breach = open_from_dossier(session, dossier_id=dossier, user=team.po1, aware_at=AWARE,
                               note="Dossier bevestigd.", now=AWARE)  # fmt: skip
    sent = AWARE + timedelta(hours=20)
    add_measure(session, breach_id=breach.breach_id, user=team.po1, kind="end",
                text="Account van de medewerker geblokkeerd.", taken_on=AWARE.date(),
                now=AWARE)  # fmt: skip
    mark_notified(session, breach_id=breach.breach_id, user=team.po1, notified_at=sent,
                  ap_reference="AP-2026-0042", now=sent)  # fmt: skip
    later = sent + timedelta(days=2)
    add_addition(session, breach_id=breach.breach_id, user=team.po1, sent_at=later,
                 note="Aantal betrokkenen bijgesteld.", now=later)  # fmt: skip
    return get_breach(session, breach_id=breach.breach_id, user=team.po1), Pseudonymiser(b"k" * 32)


def test_new_columns_come_last_so_old_spreadsheets_keep_working() -> None:
    assert COLUMNS.index("postponed_art41_until") == 24  # the last column of the first export
    assert COLUMNS[25:] == ("measures", "initial_notice_at", "additions", "ap_reference",
                            "closed_at")  # fmt: skip


def test_the_register_row_holds_measures_and_notices(session: Session) -> None:
    breach, pseudonym = _handled(session)
    row = register_row(breach, pseudonym)
    assert list(row) == list(COLUMNS)
    day = AWARE.date().isoformat()
    assert row["measures"] == f"{day} end: Account van de medewerker geblokkeerd."
    assert row["initial_notice_at"] == row["notified_at"] != ""
    assert row["additions"] == 1 and row["ap_reference"] == "AP-2026-0042"
    assert row["closed_at"] == ""


def test_the_register_pdf_is_a_landscape_table_without_citizens_or_staff_ids(
    session: Session,
) -> None:
    breach, pseudonym = _handled(session)
    pdf = register_pdf([breach], pseudonym)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert box.width > box.height  # A4 landscape
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    for heading in ("Register van datalekken", "Tijdlijn", "Getroffen", "Ernst (ENISA)",
                    "Besluiten en redenen", "Maatregelen", "Meldingen aan de AP"):  # fmt: skip
        assert heading in text
    assert "Account van de medewerker geblokkeerd." in text
    assert "AP-2026-0042" in text and "Aanvullingen: 1" in text
    assert pseudonym(breach.employee_id or "") in text
    assert (breach.employee_id or "?") not in text and "123456782" not in text

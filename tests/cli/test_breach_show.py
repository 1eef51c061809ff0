"""``schildwacht breach show``: one dossier on the command line, employee as a pseudonym."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

import schildwacht.cli_state
from schildwacht.app.audit.service import recent
from schildwacht.app.breaches.service import add_measure, mark_notified, open_from_dossier
from schildwacht.app.db import open_database
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


def test_show_prints_the_dossier_with_a_pseudonym_and_records_the_view(store: Path) -> None:
    with open_database(load_settings(store)).begin() as session:
        team = make_team(session)
        dossier = dossier_with(session, team)
        breach = open_from_dossier(session, dossier_id=dossier, user=team.po1, aware_at=AWARE,
                                   note="Bevestigd.", now=AWARE)  # fmt: skip
        sent = AWARE + timedelta(hours=80)
        mark_notified(session, breach_id=breach.breach_id, user=team.po1, notified_at=sent,
                      delay_reason="Weekend.", ap_reference="AP-9", now=sent)  # fmt: skip
        add_measure(session, breach_id=breach.breach_id, user=team.po1, kind="end",
                    text="Account geblokkeerd.", taken_on=date(2026, 3, 2), now=sent)  # fmt: skip
    done = runner.invoke(breach_app, ["show", str(breach.breach_id), "--json"])
    assert done.exit_code == 0, done.output
    shown = json.loads(done.output)
    assert shown["employee"].startswith("MW-") and "e00001" not in done.output
    assert shown["clock"] == "overdue"  # the clock stopped at a late notification
    assert [n["ap_reference"] for n in shown["notices"]] == ["AP-9"]
    assert shown["notices"][0]["late"] and shown["delay_reason"] == "Weekend."
    assert [m["text"] for m in shown["measures"]] == ["Account geblokkeerd."]
    assert shown["affected"]["people"] == 1
    assert [e["kind"] for e in shown["timeline"]] == ["opened", "notified", "measure"]
    text = runner.invoke(breach_app, ["show", str(breach.breach_id)], env={"COLUMNS": "200"})
    assert text.exit_code == 0 and "Account geblokkeerd." in text.output
    with open_database(load_settings(store)).begin() as session:
        views = recent(session, action="view_breach")
    assert len(views) == 2 and views[0].target == f"breach:{breach.breach_id}"
    missing = runner.invoke(breach_app, ["show", "99"])
    assert missing.exit_code == 2 and "bestaat niet" in missing.output


def test_export_writes_the_register_as_pdf(store: Path, tmp_path: Path) -> None:
    with open_database(load_settings(store)).begin() as session:
        team = make_team(session)
        dossier = dossier_with(session, team)
        open_from_dossier(session, dossier_id=dossier, user=team.po1, aware_at=AWARE,
                          note="Bevestigd.", now=AWARE, title="Adressen opgezocht")  # fmt: skip
    output = tmp_path / "register.pdf"
    done = runner.invoke(breach_app, ["export", "--output", str(output), "--format", "pdf"])
    assert done.exit_code == 0, done.output
    text = " ".join(p.extract_text() for p in PdfReader(output).pages)
    assert "Adressen opgezocht" in " ".join(text.split())
    wrong = runner.invoke(breach_app, ["export", "--output", str(output), "--format", "xls"])
    assert wrong.exit_code == 2

"""The ``alerts`` and ``suppress`` commands: the sub-apps directly, and once through the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

import schildwacht.cli_state
from schildwacht.app.alerts.service import upsert_alerts
from schildwacht.app.db import open_database
from schildwacht.app.detection_runs.service import start_run
from schildwacht.app.suppressions.service import amsterdam_today
from schildwacht.cli_alerts import alerts_app, mask_bsn, suppress_app
from schildwacht.config import load_settings
from schildwacht.errors import UserError
from schildwacht.store.store import Store
from tests.app.conftest import candidate

runner = CliRunner()


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setattr(schildwacht.cli_state.State, "store", Store(tmp_path))
    yield tmp_path


@pytest.fixture
def with_alerts(store: Path) -> Path:
    with open_database(load_settings(store)).begin() as session:
        run = start_run(session)
        upsert_alerts(
            session,
            candidates=[
                candidate("alert-family", score=88.0),
                candidate("alert-bulk", score=40.0, scenarios=("bulk",), subject_bsns=()),
            ],
            run_id=run,
        )
    return store


def test_alerts_list_masks_bsns(with_alerts: Path) -> None:
    done = runner.invoke(alerts_app, ["list"], env={"COLUMNS": "250"})
    assert done.exit_code == 0, done.output
    assert "*****6782" not in done.output and "******782" in done.output
    assert "123456782" not in done.output
    assert done.output.index("alert-family") < done.output.index("alert-bulk")
    assert "Bekeek 4 keer" in done.output


def test_alerts_list_filters(with_alerts: Path) -> None:
    done = runner.invoke(alerts_app, ["list", "--scenario", "bulk"], env={"COLUMNS": "250"})
    assert "alert-bulk" in done.output and "alert-family" not in done.output
    done = runner.invoke(alerts_app, ["list", "--min-score", "50", "--top", "5"])  # narrow
    assert "alert-family" in done.output and "alert-bulk" not in done.output
    done = runner.invoke(alerts_app, ["list", "--scenario", "leaver"])
    assert "No alerts" in done.output


def test_alerts_list_refuses_an_unknown_scenario(with_alerts: Path) -> None:
    done = runner.invoke(alerts_app, ["list", "--scenario", "bulkk"])
    assert isinstance(done.exception, UserError)
    assert "unknown scenario 'bulkk'" in str(done.exception)


def test_alerts_export(with_alerts: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "alerts.jsonl"
    done = runner.invoke(alerts_app, ["export", "--format", "jsonl", "--output", str(out)])
    assert done.exit_code == 0, done.output
    assert "2 alerts written" in done.output
    ids = [json.loads(line)["alert_id"] for line in out.read_text().splitlines()]
    assert ids == ["alert-family", "alert-bulk"]
    done = runner.invoke(alerts_app, ["export", "--format", "xml", "--output", str(out)])
    assert done.exit_code == 2


def test_missing_store_is_a_user_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schildwacht.cli_state.State, "store", Store(tmp_path / "nope"))
    done = runner.invoke(alerts_app, ["list"])
    assert isinstance(done.exception, UserError)
    assert "no store at" in str(done.exception)
    assert not (tmp_path / "nope").exists()


def test_suppress_add_list_remove(store: Path) -> None:
    expires = str(amsterdam_today() + timedelta(days=30))
    done = runner.invoke(
        suppress_app,
        [
            "add",
            "--reason",
            "verkiezingscontrole van 300 kiezers",
            "--expires",
            expires,
            "--team",
            "Verkiezingen",
            "--scenario",
            "bulk",
            "--from",
            "2026-03-18",
            "--until",
            "2026-03-18",
        ],
    )
    assert done.exit_code == 0, done.output
    assert "Suppression 1 added" in done.output
    listed = runner.invoke(suppress_app, ["list"], env={"COLUMNS": "250"})
    assert "Verkiezingen" in listed.output and "evidence 2026-03-18 - 2026-03-18" in listed.output
    removed = runner.invoke(suppress_app, ["remove", "1"])
    assert removed.exit_code == 0 and "Suppression 1 removed" in removed.output
    assert "No active suppressions" in runner.invoke(suppress_app, ["list"]).output
    again = runner.invoke(suppress_app, ["remove", "1"])
    assert isinstance(again.exception, UserError)


def test_suppress_add_refuses_bad_input(store: Path) -> None:
    for args, message in (
        (["--expires", "2026-13-01", "--team", "T"], "--expires '2026-13-01' is not a date"),
        (["--expires", "2000-01-01", "--team", "T"], "in the past"),
        (["--expires", "2999-01-01"], "must name a scenario"),
        (["--expires", "2999-01-01", "--team", "T", "--from", "x"], "--from 'x' is not a date"),
    ):
        done = runner.invoke(suppress_app, ["add", "--reason", "r", *args])
        assert isinstance(done.exception, UserError), done.output
        assert message in str(done.exception)


def test_suppress_list_all_shows_expired(store: Path) -> None:
    from schildwacht.app.suppressions.service import add_suppression

    with open_database(load_settings(store)).begin() as session:
        add_suppression(
            session,
            reason="oud",
            expires_on=amsterdam_today() - timedelta(days=1),
            created_by="t",
            employee_id="e00009",
            today=amsterdam_today() - timedelta(days=5),
        )
    assert "No active suppressions" in runner.invoke(suppress_app, ["list"]).output
    done = runner.invoke(suppress_app, ["list", "--all"], env={"COLUMNS": "250"})
    assert "e00009" in done.output and "(expired)" in done.output


def test_mask_bsn() -> None:
    assert mask_bsn("123456782") == "******782"


def test_registered_commands_run_through_the_entry_point(tmp_path: Path) -> None:
    base = [sys.executable, "-m", "schildwacht.cli", "--store", str(tmp_path)]
    expires = str(amsterdam_today() + timedelta(days=1))
    add = [*base, "suppress", "add", "--reason", "r", "--expires", expires, "--team", "T"]
    done = subprocess.run(add, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    out = tmp_path / "alerts.csv"
    export = [*base, "alerts", "export", "--format", "csv", "--output", str(out)]
    done = subprocess.run(export, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8").startswith("alert_id,employee_id,subject_bsns,")
    bad = subprocess.run(
        [*base, "alerts", "list", "--scenario", "x"], capture_output=True, text=True, timeout=120
    )
    assert bad.returncode == 2
    assert bad.stderr.strip().startswith("error: unknown scenario 'x'")


def test_suppressions_made_on_the_cli_are_in_the_audit_trail(store: Path) -> None:
    from schildwacht.app.audit.service import recent
    from schildwacht.cli_alerts import _sessions

    added = runner.invoke(
        suppress_app, ["add", "--team", "Verkiezingen", "--reason", "stembureaucontrole",
                       "--expires", "2099-01-01"],
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert runner.invoke(suppress_app, ["remove", "1"]).exit_code == 0
    with _sessions().begin() as session:
        entries = recent(session, limit=5)
    actions = [e.action for e in entries if e.action.startswith("suppression_")]
    assert actions == ["suppression_removed", "suppression_added"]
    assert all(e.actor.startswith("cli:") and e.details["via"] == "cli" for e in entries[:2])

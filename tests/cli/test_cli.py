"""The command line: help everywhere, JSON summary, one-line errors, nothing written on error."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EVENT_HEADER, event, write_csv

COMMANDS = [
    [],
    ["simulate"],
    ["ingest"],
    ["status"],
    ["quarantine"],
    ["quarantine", "list"],
    ["quarantine", "export"],
]


def cli(*args: str, store: Path | None = None) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "schildwacht.cli"]
    if store is not None:
        cmd += ["--store", str(store)]
    return subprocess.run([*cmd, *args], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "top")
def test_every_command_has_help(command: list[str]) -> None:
    done = cli(*command, "--help")
    assert done.returncode == 0
    assert "Usage:" in done.stdout


def test_ingest_json_summary_and_status(tmp_path: Path) -> None:
    data = tmp_path / "set"
    write_csv(
        data / "events.csv",
        [event("1"), event("2"), event("2"), event("3", action="x")],
        EVENT_HEADER,
    )
    (data / "labels.jsonl").write_text('{"incident_id": "i-1"}\n')
    done = cli("ingest", str(data), "--json", store=tmp_path / "s")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["events"] == {"read": 4, "accepted": 2, "duplicates": 1, "quarantined": 1}
    assert isinstance(summary["seconds"], float)
    status = cli("status", store=tmp_path / "s")
    assert status.returncode == 0
    assert "events" in status.stdout and "2026-03-02" in status.stdout
    assert "Quarantined records: 1" in status.stdout


def test_quarantine_list_and_export(tmp_path: Path) -> None:
    data = write_csv(tmp_path / "events.csv", [event("1", subject_bsn="123")], EVENT_HEADER)
    assert cli("ingest", str(data), store=tmp_path / "s").returncode == 0
    listed = cli("quarantine", "list", store=tmp_path / "s")
    assert "invalid BSN" in listed.stdout and "line 2" in listed.stdout
    out = tmp_path / "q.csv"
    assert cli("quarantine", "export", "--output", str(out), store=tmp_path / "s").returncode == 0
    [row] = list(csv.DictReader(out.open(encoding="utf-8")))
    assert row["locator"] == "line 2" and row["table"] == "events"
    assert json.loads(row["raw"])["subject_bsn"] == "123"


def test_store_from_environment(tmp_path: Path) -> None:
    data = write_csv(tmp_path / "events.csv", [event("1")], EVENT_HEADER)
    env_store = tmp_path / "env-store"
    done = subprocess.run(
        [sys.executable, "-m", "schildwacht.cli", "ingest", str(data), "--json"],
        capture_output=True,
        text=True,
        env={**_env(), "SCHILDWACHT_STORE": str(env_store)},
    )
    assert done.returncode == 0, done.stderr
    assert (env_store / "manifest.json").exists()


def _env() -> dict[str, str]:
    import os

    return dict(os.environ)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.csv", "no such file or folder"),
        (lambda d: _file(d / "notes.xlsx", "x"), "cannot tell which table"),
        (lambda d: _file(d / "persons.csv", "a,b\n1,2\n"), "cannot tell which table"),
        (lambda d: _file(d / "events.csv", ""), "the file is empty"),
        (
            lambda d: _file(d / "events.csv", "event_id,action\n1,view\n"),
            "occurred_at, source_system, employee_id",
        ),
    ],
    ids=["missing", "unknown-extension", "unknown-table", "empty", "missing-columns"],
)
def test_bad_input_exits_non_zero_with_one_line_and_writes_nothing(
    tmp_path: Path, make: object, message: str
) -> None:
    good = write_csv(tmp_path / "a" / "events.csv", [event("1")], EVENT_HEADER)  # sorts first
    bad = make(tmp_path)  # type: ignore[operator]
    store = tmp_path / "s"
    done = cli("ingest", str(good), str(bad), store=store)
    assert done.returncode == 2
    assert message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr
    assert not (store / "manifest.json").exists()


def _file(path: Path, content: str) -> Path:
    path.write_text(content, encoding="utf-8")
    return path

"""The detection commands end to end, as a privacy officer or administrator runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.detect.world import World, ordinary_work


def cli(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "schildwacht.cli", "--store", str(store), *args]
    return subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        timeout=300,
        env={"COLUMNS": "160", "PATH": "/usr/bin:/bin"},
    )


@pytest.fixture(scope="module")
def detected(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    world = World()
    ordinary_work(world)
    employee_bsn, ex = world.citizen("Visser"), world.citizen("Bos")
    world.employee("snooper", bsn=employee_bsn)
    world.rows["relations"].append(
        {"bsn": employee_bsn, "related_bsn": ex, "relation": "ex_partner"}
    )
    world.access("snooper", ex, 5, hour=21)
    world.access("snooper", ex, 9, hour=22)
    data = world.write(tmp_path_factory.mktemp("data"))
    (data / "labels.jsonl").write_text(
        json.dumps(
            {
                "incident_id": "i-1",
                "scenario": "family",
                "employee_id": "snooper",
                "subject_bsns": [ex],
                "start": "2026-02-01T00:00:00+01:00",
                "end": "2026-03-01T00:00:00+01:00",
            }
        )
        + "\n"
    )
    store = tmp_path_factory.mktemp("store") / "s"
    assert cli(store, "ingest", str(data)).returncode == 0
    done = cli(store, "detect", "--json")
    assert done.returncode == 0, done.stderr
    return store, data, ex


def test_detect_reports_counts_and_writes_settings(detected: tuple[Path, Path, str]) -> None:
    store, _, _ = detected
    again = json.loads(cli(store, "detect", "--json").stdout)
    assert again["new"] == 0 and again["updated"] == 0 and again["alerts"] >= 1
    assert (store / "schildwacht.toml").exists()


def test_alerts_list_and_export(detected: tuple[Path, Path, str], tmp_path: Path) -> None:
    store, _, ex = detected
    listed = cli(store, "alerts", "list", "--top", "5")
    assert "ex-partner" in listed.stdout and ex not in listed.stdout  # BSN masked
    out = tmp_path / "alerts.jsonl"
    assert cli(store, "alerts", "export", "--format", "jsonl", "--output", str(out)).returncode == 0
    first = json.loads(out.read_text().splitlines()[0])
    assert first["employee_id"] == "snooper" and ex in first["subject_bsns"]
    assert set(first) == {
        "alert_id",
        "employee_id",
        "subject_bsns",
        "scenarios",
        "score",
        "first_seen",
        "last_seen",
        "event_ids",
        "summary",
    }


def test_evaluate_against_labels(detected: tuple[Path, Path, str]) -> None:
    store, data, _ = detected
    result = json.loads(cli(store, "evaluate", "--data", str(data), "--k", "1", "--json").stdout)
    assert result[0]["recall"] == 1.0 and result[0]["precision"] == 1.0


def test_lookups_shows_who_opened_the_victim_and_logs_its_use(
    detected: tuple[Path, Path, str],
) -> None:
    store, _, ex = detected
    done = cli(store, "lookups", "--subject", ex, "--before", "2026-03-01T00:00", "--days", "40")
    assert done.returncode == 0, done.stderr
    assert "snooper" in done.stdout and "ONVERKLAARD" in done.stdout
    audit = cli(store, "audit", "list", "--action", "lookups", "--json")
    entry = json.loads(audit.stdout.splitlines()[0])
    assert entry["target"] == ex and entry["details"]["days"] == 40
    assert cli(store, "audit", "verify").returncode == 0
    assert cli(store, "lookups", "--subject", "123456789").returncode == 2  # not a BSN


def test_explain_stats(detected: tuple[Path, Path, str]) -> None:
    store, _, _ = detected
    stats = json.loads(cli(store, "explain-stats", "--json").stdout)
    assert 0.5 < stats["explained_share"] < 1.0
    assert {r["department"] for r in stats["by_department"]} >= {"Burgerzaken", "Sociaal Domein"}
    assert any(r["explanation"] == "afspraak" for r in stats["by_explanation"])


def _detect_raising(exc: Exception, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run ``schildwacht detect`` through the real entry point, detection raising ``exc``."""
    from schildwacht import cli as entry
    from schildwacht.detect import runner

    def failing(*args: object, **kwargs: object) -> None:
        raise exc

    monkeypatch.setattr(runner, "run_detection", failing)
    monkeypatch.setattr(sys, "argv", ["schildwacht", "--store", str(tmp_path / "s"), "detect"])
    entry.main()


def test_a_full_disk_ends_in_advice_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import duckdb

    full = duckdb.IOException(
        'IO Error: Could not write file "s/tmp/duckdb/duckdb_temp_1.tmp": No space left on device'
    )
    with pytest.raises(SystemExit) as exited:
        _detect_raising(full, tmp_path, monkeypatch)
    err = capsys.readouterr().err
    assert exited.value.code == 1
    assert "the disk is full" in err and "tmp folder" in err
    assert "Traceback" not in err and "duckdb_temp" not in err


def test_out_of_memory_ends_in_advice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import duckdb

    oom = duckdb.OutOfMemoryException("Out of Memory Error: could not allocate block")
    with pytest.raises(SystemExit) as exited:
        _detect_raising(oom, tmp_path, monkeypatch)
    assert exited.value.code == 1
    assert "SCHILDWACHT_MEMORY_LIMIT" in capsys.readouterr().err


def test_other_failures_are_not_disguised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(RuntimeError, match="a bug"):
        _detect_raising(RuntimeError("a bug"), tmp_path, monkeypatch)

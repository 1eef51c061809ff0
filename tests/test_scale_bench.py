"""The scale benchmark's generator, at 50,000 events: sized right, chunked, contract-valid."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
from benchmarks.scale_bench import Measurement, add_growth, generate, label, table, town_for


def test_town_grows_in_staff_and_time() -> None:
    small, large = town_for(1_000_000), town_for(100_000_000)
    assert (large.employees / small.employees) == 10
    assert 8 <= large.days / small.days <= 12
    assert large.citizens >= 20 * large.employees  # the simulator's own rule
    assert [label(n) for n in (50_000, 1_000_000, 100_000_000)] == ["50k", "1m", "100m"]


def test_generator_writes_contract_valid_events_day_by_day(tmp_path: Path) -> None:
    town = town_for(50_000)
    info = generate(town, tmp_path / "town")
    assert info["reused"] is False
    events = info["events"]
    assert isinstance(events, int) and 35_000 <= events <= 65_000
    # written in chunks: one day at a time, into monthly part files
    files = sorted(str(p) for p in (tmp_path / "town").glob("events-*.csv"))
    assert files
    con = duckdb.connect()
    town_dir = tmp_path / "town"
    for name, paths in (("e", files), ("employees", [str(town_dir / "employees.csv")])):
        listed = ", ".join("'" + p.replace("'", "''") + "'" for p in paths)
        con.execute(f"CREATE VIEW {name} AS FROM read_csv([{listed}], all_varchar = true)")
    cases = str(town_dir / "cases.csv").replace("'", "''")
    con.execute(f"CREATE VIEW cases AS FROM read_csv('{cases}', all_varchar = true)")
    days = con.execute("SELECT count(DISTINCT substr(occurred_at, 1, 10)) FROM e").fetchone()
    assert days is not None and days[0] >= town.days * 5 // 7  # weekends may be empty
    # employees and cases in the events are the town's own
    strays = con.execute(
        "SELECT (SELECT count(*) FROM e"
        "  WHERE employee_id NOT IN (SELECT employee_id FROM employees)),"
        " (SELECT count(*) FROM e WHERE case_id IS NOT NULL"
        "  AND case_id NOT IN (SELECT case_id FROM cases))"
    ).fetchone()
    assert strays == (0, 0)

    # contract-valid: ingest accepts every event and quarantines nothing
    cli = [sys.executable, "-m", "schildwacht.cli", "--store", str(tmp_path / "store")]
    done = subprocess.run(
        [*cli, "ingest", str(tmp_path / "town"), "--json"],
        check=True,
        capture_output=True,
        text=True,
    )
    summary = json.loads(done.stdout)
    assert summary["events"]["read"] == events
    assert summary["events"]["accepted"] == events
    assert all(t["quarantined"] == 0 for k, t in summary.items() if isinstance(t, dict))

    # a finished town is reused, not simulated again
    assert generate(town, tmp_path / "town")["reused"] is True


def test_growth_factor_is_time_ratio_over_size_ratio() -> None:
    rows = [
        Measurement("1m", 1_000_000, "ingest", 10.0, 500.0, 500.0, 100_000.0),
        Measurement("10m", 10_000_000, "ingest", 80.0, 900.0, 900.0, 125_000.0),
    ]
    add_growth(rows)
    assert rows[0].growth is None
    assert rows[1].growth == 0.8
    assert "| 10M | ingest | 10,000,000 | 80.0 | - | 0.88 GiB | 125,000 | 0.80 |" in table(rows)

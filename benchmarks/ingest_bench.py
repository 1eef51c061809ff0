"""Ingest benchmark: the default simulated town (CSV), against a bare DuckDB read.

Run with ``make bench``. It simulates the default municipality once (kept in
``bench-data/town`` and reused), then in the same run measures

- a bare read: DuckDB reading every column of the same CSV files into memory, the floor
  that any CSV ingest has to pay;
- ``schildwacht ingest`` of those files into a fresh store, in a child process so its peak
  resident memory can be measured on its own.

It prints seconds, events per second, peak memory and the ratio ingest / bare read, with
the machine's core count. Figures vary with the machine; compare runs on one machine.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(os.environ.get("BENCH_DIR", "bench-data"))
TOWN = ROOT / "town"
SEED = 1


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "schildwacht.cli", *args]
    return subprocess.run(cmd, check=True, capture_output=True, text=True)


def ensure_town() -> float:
    """Simulate the default town unless a finished one is there; returns seconds spent."""
    marker = TOWN / ".complete"
    if marker.exists():
        return 0.0
    shutil.rmtree(TOWN, ignore_errors=True)
    started = time.perf_counter()
    _cli("simulate", "--out", str(TOWN), "--seed", str(SEED), "--format", "csv")
    marker.write_text("ok")
    return time.perf_counter() - started


def bare_read(files: list[Path]) -> float:
    """Seconds for DuckDB to read every column of ``files`` into a table."""
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false").fetchall()
    started = time.perf_counter()
    for number, path in enumerate(files):
        con.execute(
            f"CREATE TABLE t{number} AS SELECT * FROM read_csv($p, all_varchar = true)",
            {"p": str(path)},
        ).fetchall()
    return time.perf_counter() - started


def timed_ingest(store: Path) -> tuple[float, float, dict[str, dict[str, int]]]:
    """(seconds, peak resident MB of the ingest process, summary) of one ingest."""
    shutil.rmtree(store, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = _cli("--store", str(store), "ingest", str(TOWN), "--json")
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    summary = json.loads(done.stdout)
    return seconds, max(peak_kb, before) / 1024, summary


def main() -> None:
    simulated = ensure_town()
    files = sorted(p for p in TOWN.glob("*.csv"))
    size_mb = sum(p.stat().st_size for p in files) / 1e6
    bare = bare_read(files)
    seconds, peak_mb, summary = timed_ingest(ROOT / "store")
    events = summary["events"]["read"]
    print(f"Ingest benchmark on {os.cpu_count()} cores")
    if simulated:
        print(f"  simulated the default town in {simulated:.1f} s")
    print(f"  input: {len(files)} CSV files, {size_mb:,.0f} MB, {events:,} events")
    print(f"  bare DuckDB read of the same files: {bare:.2f} s")
    print(
        f"  schildwacht ingest:                 {seconds:.2f} s "
        f"({events / seconds:,.0f} events/s, peak memory {peak_mb:,.0f} MB)"
    )
    print(
        f"  of which inside the ingest run:     {summary['seconds']:.2f} s "
        "(the rest is starting Python and importing)"
    )
    print(
        f"  ratio ingest / bare read:           {seconds / bare:.2f}x "
        f"(run only: {summary['seconds'] / bare:.2f}x)"
    )
    print(f"  summary: {json.dumps(summary)}")


if __name__ == "__main__":
    main()

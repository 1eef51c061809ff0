"""Detection benchmark: the default town and a 10-million-event town, on DuckDB.

Run with ``make bench`` (after the ingest benchmark, whose store it reuses) or on its own
with ``python -m benchmarks.detect_bench``. For each town it measures, in the same run:

- a bare DuckDB scan: reading every column of the stored events into memory, the floor for
  any detection that looks at all events;
- ``schildwacht detect`` in a child process: seconds (total and per stage) and peak memory.

The 10-million-event town is simulated once into ``bench-data/town-10m`` (about a minute) and
ingested once; set ``BENCH_LARGE=0`` to skip it. Figures depend on the machine: compare runs
on one machine, and quote the core count with them.
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

from schildwacht.detect.engine import DETECT_MEMORY_LIMIT
from schildwacht.store.store import Store

ROOT = Path(os.environ.get("BENCH_DIR", "bench-data"))
TOWNS = {
    "default": {"employees": 1500, "citizens": 120_000, "days": 60},
    "10m": {"employees": 7500, "citizens": 600_000, "days": 60},
}


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "schildwacht.cli", *args], check=True, capture_output=True, text=True
    )


def ensure_store(name: str, size: dict[str, int]) -> Path:
    """Simulate and ingest a town once; later runs reuse it."""
    town, store = (
        ROOT / f"town-{name}" if name != "default" else ROOT / "town",
        ROOT / f"store-{name}",
    )
    if not (town / ".complete").exists():
        shutil.rmtree(town, ignore_errors=True)
        _cli(
            "simulate",
            "--out",
            str(town),
            "--seed",
            "1",
            "--employees",
            str(size["employees"]),
            "--citizens",
            str(size["citizens"]),
            "--days",
            str(size["days"]),
        )
        (town / ".complete").write_text("ok")
    if not (store / ".complete").exists():
        shutil.rmtree(store, ignore_errors=True)
        _cli("--store", str(store), "ingest", str(town), "--json")
        (store / ".complete").write_text("ok")
    return store


def bare_scan(store: Path) -> tuple[int, float]:
    files = [str(p) for p in Store(store).files("events")]
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false").fetchall()
    started = time.perf_counter()
    con.execute("CREATE TABLE e AS SELECT * FROM read_parquet($f)", {"f": files}).fetchall()
    seconds = time.perf_counter() - started
    rows = con.execute("SELECT count(*) FROM e").fetchall()[0][0]
    return int(rows), seconds


def timed_detect(store: Path) -> tuple[float, float, dict[str, object]]:
    for leftover in ("schildwacht.db", "schildwacht.toml"):
        (store / leftover).unlink(missing_ok=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = _cli("--store", str(store), "detect", "--json")
    seconds = time.perf_counter() - started
    peak = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
    return seconds, peak, json.loads(done.stdout)


def main() -> None:
    limit = os.environ.get("SCHILDWACHT_MEMORY_LIMIT", DETECT_MEMORY_LIMIT)
    print(f"Detection benchmark on {os.cpu_count()} cores (DuckDB memory limit {limit})")
    large = os.environ.get("BENCH_LARGE", "1") != "0"
    for name, size in TOWNS.items():
        if name == "10m" and not large:
            continue
        store = ensure_store(name, size)
        rows, bare = bare_scan(store)
        seconds, peak, summary = timed_detect(store)
        stages = summary["seconds"]
        assert isinstance(stages, dict)
        print(f"  {name} town: {rows:,} events, {summary['alerts']:,} alerts")
        print(f"    bare DuckDB scan of the events: {bare:.2f} s")
        print(
            f"    schildwacht detect:             {seconds:.2f} s "
            f"(in-process {sum(stages.values()):.2f} s, peak memory {peak:,.0f} MB), "
            f"ratio {seconds / bare:.1f}x"
        )
        slow = sorted(stages.items(), key=lambda kv: -kv[1])[:4]
        print("    slowest stages: " + ", ".join(f"{k} {v:.2f} s" for k, v in slow))


if __name__ == "__main__":
    main()

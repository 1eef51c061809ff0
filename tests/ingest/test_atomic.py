"""A run killed with SIGKILL at any moment leaves the store as it was before its batch.

The test starts real ingest processes, kills each at a different moment, checks that every
file the manifest lists is intact and that the published state is one a finished batch could
have produced, then runs the ingest again and checks it completes to exactly the state of
an uninterrupted run.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from schildwacht.store.store import Store
from tests.conftest import EVENT_HEADER, event, write_csv

FILES = 4
ROWS = 60_000


def _dataset(folder: Path) -> None:
    for part in range(FILES):
        rows = [
            event(
                f"{part}-{i}",
                occurred_at=f"2026-03-{1 + i % 28:02d}T{8 + i % 9:02d}:00:00Z",
                subject_bsn="111222333" if i % 1000 else "12345678",
            )
            for i in range(ROWS)
        ]
        write_csv(folder / f"events-{part}.csv", rows, EVENT_HEADER)


def _state(store: Store) -> tuple[int, int, int]:
    """(events stored, distinct keys, quarantined) as published by the manifest."""
    events = [str(p) for p in store.files("events")]
    quarantine = [str(p) for p in store.quarantine_files()]
    con = duckdb.connect()
    n, keys = 0, 0
    if events:
        n, keys = con.execute(
            "SELECT count(*), count(DISTINCT (source_system, event_id)) FROM read_parquet($f)",
            {"f": events},
        ).fetchall()[0]
    q = (
        con.execute("SELECT count(*) FROM read_parquet($f)", {"f": quarantine}).fetchall()[0][0]
        if quarantine
        else 0
    )
    return int(n), int(keys), int(q)


def _ingest_cmd(store: Path, data: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "schildwacht.cli",
        "--store",
        str(store),
        "ingest",
        str(data),
        "--json",
    ]


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("atomic-data")
    _dataset(folder)
    return folder


@pytest.fixture(scope="module")
def reference(dataset: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[int, int, int]:
    store = tmp_path_factory.mktemp("reference") / "store"
    subprocess.run(_ingest_cmd(store, dataset), check=True, capture_output=True)
    return _state(Store(store))


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.3, 0.9, 1.6, 2.4, 3.3, 4.5])
def test_kill_9_at_any_moment_then_rerun_completes(
    dataset: Path, reference: tuple[int, int, int], tmp_path: Path, delay: float
) -> None:
    store_dir = tmp_path / "store"
    proc = subprocess.Popen(
        _ingest_cmd(store_dir, dataset), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    time.sleep(delay)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    store = Store(store_dir)
    if store.exists():
        n, keys, q = _state(store)  # every listed file is readable, nothing half-written
        assert n == keys, "an event is stored twice"
        assert n % (ROWS - ROWS // 1000) == 0, "a batch was published in part"
        assert q % (ROWS // 1000) == 0
    done = subprocess.run(_ingest_cmd(store_dir, dataset), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert _state(store) == reference

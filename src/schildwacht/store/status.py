"""What is in a store: rows and files per table, event dates, quarantine, recent runs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from schildwacht.contract import TABLES
from schildwacht.store.store import Store


@dataclass
class StoreStatus:
    tables: dict[str, tuple[int, int]] = field(default_factory=dict)
    first_event: str | None = None
    last_event: str | None = None
    quarantined: int = 0
    runs: list[dict[str, Any]] = field(default_factory=list)


def store_status(store: Store, last_runs: int = 5) -> StoreStatus:
    """Read the manifest and the Parquet footers; no table is scanned in full."""
    report = StoreStatus()
    if not store.exists():
        return report
    manifest = store.manifest
    con = store.connect()
    for name in TABLES:
        files = [str(store.root / p) for p in manifest.tables.get(name, [])]
        rows = _rows(con, files)
        report.tables[name] = (rows, len(files))
    events = [str(store.root / p) for p in manifest.tables.get("events", [])]
    if events:
        first, last = con.execute(
            "SELECT min(date), max(date) FROM read_parquet($f)", {"f": events}
        ).fetchall()[0] or (None, None)
        report.first_event = str(first) if first else None
        report.last_event = str(last) if last else None
    report.quarantined = _rows(con, [str(p) for p in store.quarantine_files()])
    report.runs = list(reversed(manifest.runs[-last_runs:]))
    con.close()
    return report


def _rows(con: Any, files: list[str]) -> int:
    if not files:
        return 0
    row = con.execute(
        "SELECT coalesce(sum(num_rows), 0) FROM parquet_file_metadata($f)", {"f": files}
    ).fetchall()[0]
    return int(row[0]) if row else 0

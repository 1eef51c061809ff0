"""Quarantine: every record that breaks the contract, kept whole with where and why.

A quarantined record is never half-loaded and never dropped: it is stored with its source
file, its locator (line, or row group and row), the reason(s) a person can act on, and the
raw record, so it can be fixed at the source and ingested again. Re-ingesting the same bad
record counts it again in that run's summary but stores it only once.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

QUARANTINE_SCHEMA = pa.schema(
    [
        ("quarantined_at", pa.timestamp("us", tz="UTC")),
        ("run_id", pa.string()),
        ("table", pa.string()),
        ("source_file", pa.string()),
        ("locator", pa.string()),
        ("reason", pa.string()),
        ("raw", pa.string()),
        ("fingerprint", pa.string()),
    ]
)


@dataclass(frozen=True)
class QuarantineRecord:
    """One rejected record: which table it was meant for, where it came from, and why."""

    table: str
    source_file: str
    locator: str
    reason: str
    raw: str

    @property
    def fingerprint(self) -> str:
        """Identity of the record, so a re-ingested bad record is stored only once."""
        digest = hashlib.sha256()
        for part in (self.table, self.source_file, self.locator, self.raw):
            digest.update(part.encode("utf-8", "surrogatepass"))
            digest.update(b"\x00")
        return digest.hexdigest()


def write_quarantine(
    records: list[QuarantineRecord], known: set[str], run_id: str, path: Path
) -> int:
    """Write the records not yet in quarantine to ``path``; returns how many were new."""
    now = datetime.now(UTC)
    fresh: dict[str, QuarantineRecord] = {}
    for record in records:
        fp = record.fingerprint
        if fp not in known and fp not in fresh:
            fresh[fp] = record
    if not fresh:
        return 0
    rows = list(fresh.items())
    table = pa.table(
        {
            "quarantined_at": pa.array([now] * len(rows), QUARANTINE_SCHEMA.field(0).type),
            "run_id": [run_id] * len(rows),
            "table": [r.table for _, r in rows],
            "source_file": [r.source_file for _, r in rows],
            "locator": [r.locator for _, r in rows],
            "reason": [r.reason for _, r in rows],
            "raw": [r.raw for _, r in rows],
            "fingerprint": [fp for fp, _ in rows],
        },
        schema=QUARANTINE_SCHEMA,
    )
    pq.write_table(table, path, compression="zstd")
    known.update(fresh)
    return len(rows)


def known_fingerprints(con: duckdb.DuckDBPyConnection, files: list[Path]) -> set[str]:
    if not files:
        return set()
    rows = con.execute(
        "SELECT fingerprint FROM read_parquet($f)", {"f": [str(p) for p in files]}
    ).fetchall()
    return {str(r[0]) for r in rows}


def read_quarantine(
    con: duckdb.DuckDBPyConnection, files: list[Path], table: str | None = None
) -> list[dict[str, object]]:
    """All quarantined records (optionally of one table), oldest first."""
    if not files:
        return []
    rel = con.execute(
        'SELECT quarantined_at, run_id, "table", source_file, locator, reason, raw '
        'FROM read_parquet($f) WHERE $t IS NULL OR "table" = $t '
        "ORDER BY quarantined_at, source_file, locator",
        {"f": [str(p) for p in files], "t": table},
    )
    names = [d[0] for d in rel.description]
    return [dict(zip(names, row, strict=True)) for row in rel.fetchall()]


def export_quarantine(rows: list[dict[str, object]], output: Path) -> None:
    """Write quarantined records as JSON Lines (``.jsonl``) or CSV (anything else)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    if output.suffix.lower() == ".jsonl":
        with output.open("w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        return
    import csv

    with output.open("w", encoding="utf-8", newline="") as handle:
        fields = ["quarantined_at", "run_id", "table", "source_file", "locator", "reason", "raw"]
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: row[k] for k in fields})

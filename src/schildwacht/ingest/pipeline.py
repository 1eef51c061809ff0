"""One ingest run: plan, then for each input stage -> validate -> write -> commit.

Every input file (or every adapter's output per table) is one batch, published atomically:
a run killed with ``kill -9`` at any moment leaves the store as it was before the batch it
was in, and running it again completes it (events already stored then count as duplicates).
For every table the run accounts for every record: read = accepted + duplicates +
quarantined.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import ibis
import pyarrow as pa

from schildwacht.contract import TABLES, ColumnType, Table
from schildwacht.ingest.adapters import ADAPTERS, zgw_zaken
from schildwacht.ingest.adapters.base import AdapterContext, AdapterOutput, SourceRecord
from schildwacht.ingest.discover import IngestPlan, plan_ingest
from schildwacht.ingest.locate import locate_rejects
from schildwacht.ingest.quarantine import QuarantineRecord, known_fingerprints, write_quarantine
from schildwacht.ingest.readers import preflight, stage
from schildwacht.ingest.validate import VALID, converted, reasons
from schildwacht.ingest.writer import Written, append_events, replace_snapshot
from schildwacht.store.sql import run as run_sql
from schildwacht.store.store import Batch, Store

Progress = Callable[[str], None]


@dataclass
class TableCounts:
    """The accounting of one table in one run."""

    read: int = 0
    accepted: int = 0
    duplicates: int = 0
    quarantined: int = 0
    replaced: int = 0

    def add(self, read: int, written: Written, quarantined: int) -> None:
        self.read += read
        self.accepted += written.accepted
        self.duplicates += written.duplicates
        self.quarantined += quarantined
        self.replaced += written.replaced

    def as_dict(self, snapshot: bool) -> dict[str, int]:
        data = {
            "read": self.read,
            "accepted": self.accepted,
            "duplicates": self.duplicates,
            "quarantined": self.quarantined,
        }
        if snapshot:
            data["replaced"] = self.replaced
        return data


@dataclass
class IngestResult:
    """Counts per table, plus what was read but is not a contract table."""

    run_id: str
    tables: dict[str, TableCounts] = field(default_factory=dict)
    seconds: float = 0.0
    labels_skipped: list[str] = field(default_factory=list)
    auxiliary: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            name: counts.as_dict(TABLES[name].is_snapshot) for name, counts in self.tables.items()
        }
        data["seconds"] = round(self.seconds, 3)
        return data


class IngestRun:
    """State shared by the batches of one run (connection, run record, counters)."""

    def __init__(self, store: Store, progress: Progress | None) -> None:
        self.store = store
        self.progress = progress or (lambda _msg: None)
        self.con: duckdb.DuckDBPyConnection = store.connect()
        self.ibis = ibis.duckdb.from_connection(self.con)
        # Ibis sets the session to UTC; offset-less timestamps must be read as Dutch time
        run_sql(self.con, "SET TimeZone = 'Europe/Amsterdam'")
        self.result = IngestResult(run_id=uuid.uuid4().hex[:16])
        self.started = datetime.now(UTC).isoformat(timespec="seconds")
        self.inputs: list[str] = []
        self.fingerprints = known_fingerprints(self.con, store.quarantine_files())

    def counts(self, table: str) -> TableCounts:
        return self.result.tables.setdefault(table, TableCounts())

    def record(self, status: str) -> dict[str, Any]:
        return {
            "run_id": self.result.run_id,
            "started_at": self.started,
            "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "status": status,
            "inputs": self.inputs,
            "counts": self.result.as_dict(),
        }

    def write_batch(
        self, table: Table, checked: str, read: int, rejects: list[QuarantineRecord], source: str
    ) -> None:
        """Write one validated relation and its rejects, then publish them atomically."""
        batch = self.store.new_batch()
        writer = append_events if not table.is_snapshot else replace_snapshot
        written = writer(self.con, self.ibis, self.store, batch, checked, table)
        self._write_rejects(batch, rejects)
        self.counts(table.name).add(read, written, len(rejects))
        self.inputs.append(source)
        self.store.commit(batch, self.record("running"))

    def _write_rejects(self, batch: Batch, rejects: list[QuarantineRecord]) -> None:
        if not rejects:
            return
        staged = batch.staging / "quarantine.parquet"
        if write_quarantine(rejects, self.fingerprints, self.result.run_id, staged):
            rel = f"quarantine/{batch.batch_id}.parquet"
            batch.quarantine.append(self.store.place(batch, staged, rel))


def ingest(
    store: Store, paths: list[Path], fmt: str | None = None, progress: Progress | None = None
) -> IngestResult:
    """Ingest ``paths`` into ``store``; see the module docstring for the guarantees."""
    started = time.perf_counter()
    plan = plan_ingest(paths, fmt)
    for item in plan.canonical:
        preflight(item.path, item.format, TABLES[item.table])
    with store.writer():
        run = IngestRun(store, progress)
        run.result.labels_skipped = [str(p) for p in plan.labels]
        adapted = convert_adapter_files(plan, stored_zaak_uuids(run))
        _write_adapter_tables(run, adapted, events=False)
        for number, item in enumerate(_ordered(plan)):
            run.progress(f"{item.table}: {item.path.name}")
            _ingest_canonical(run, item.path, item.format, TABLES[item.table], number)
        _write_adapter_tables(run, adapted, events=True)
        run.result.seconds = time.perf_counter() - started
        store.commit(store.new_batch(), run.record("complete"))
        run.con.close()
    return run.result


def _ordered(plan: IngestPlan) -> list[Any]:
    """Context tables first, so a later stage never sees events without their context."""
    order = list(TABLES)
    return sorted(plan.canonical, key=lambda f: (order.index(f.table) == 0, str(f.path)))


def _ingest_canonical(run: IngestRun, path: Path, fmt: str, table: Table, number: int) -> None:
    name = f"f{number}"
    staged = stage(run.con, path, fmt, table.name, name)
    checked = f"{name}_checked"
    invalid = _check(run, name, checked, table)
    rejects = locate_rejects(run.con, path, fmt, table.name, staged, invalid)
    run.write_batch(table, checked, staged.read, rejects, str(path))
    _drop_temp(run.con, name)


def _check(run: IngestRun, staged: str, checked: str, table: Table) -> list[tuple[int, str]]:
    """Convert and validate ``staged`` into ``checked``; return (ordinal, reason) of rejects."""
    expr = converted(run.ibis.table(staged), table)
    sql = run.ibis.compile(expr)
    run_sql(run.con, f"CREATE OR REPLACE TEMP TABLE {checked} AS {sql}")
    broken = run.ibis.table(checked).filter(lambda t: ~t[VALID]).select("_ord")
    if not broken.count().to_pyarrow().as_py():
        return []
    rejected = run.ibis.table(staged).semi_join(broken, "_ord")
    rows = reasons(rejected, table).order_by("_ord").to_pyarrow().to_pylist()
    return [(int(r["_ord"]), str(r["_reason"])) for r in rows]


def _drop_temp(con: duckdb.DuckDBPyConnection, prefix: str) -> None:
    for kind, catalog in (("VIEW", "duckdb_views()"), ("TABLE", "duckdb_tables()")):
        rows = con.execute(
            f"SELECT {kind.lower()}_name FROM {catalog} WHERE temporary AND "
            f"({kind.lower()}_name = $p OR starts_with({kind.lower()}_name, $p || '_'))",
            {"p": prefix},
        ).fetchall()
        for (name,) in rows:
            run_sql(con, f"DROP {kind} IF EXISTS {name}")


def convert_adapter_files(plan: IngestPlan, known_zaken: dict[str, str]) -> AdapterOutput:
    """Run every adapter once over all its files; ZGW first, for the zaak uuid map.

    ``known_zaken`` maps the uuids of zaken already in the store to their identificatie,
    so a VNG ``verwerkingId`` can name a zaak delivered in an earlier run.
    """
    output = AdapterOutput()
    ctx = AdapterContext(account_map=plan.account_map, zaak_uuid_map=dict(known_zaken))
    order = sorted(plan.adapter_files, key=lambda fmt: fmt != "zgw-zaken")
    for fmt in order:
        files = plan.adapter_files[fmt]
        if fmt == "zgw-zaken" and "zaken" in files:
            ctx.zaak_uuid_map.update(zgw_zaken.zaak_uuid_map(files))
        output.extend(ADAPTERS[fmt].convert(files, ctx))
    return output


def stored_zaak_uuids(run: IngestRun) -> dict[str, str]:
    """Zaak uuid -> identificatie of cases stored earlier (their ``zaak_uuid`` extra column)."""
    files = [str(p) for p in run.store.files("cases")]
    if not files:
        return {}
    rows = run.con.execute(
        "SELECT DISTINCT lower(_extra ->> 'zaak_uuid'), case_id FROM read_parquet($f) "
        "WHERE _extra ->> 'zaak_uuid' IS NOT NULL",
        {"f": files},
    ).fetchall()
    return {str(u): str(c) for u, c in rows}


def _write_adapter_tables(run: IngestRun, output: AdapterOutput, events: bool) -> None:
    """Write the adapters' rows of the context tables, or of events, as one batch per table."""
    for name in TABLES:
        if (name == "events") != events:
            continue
        records = [r for r in output.records if r.table == name]
        rejects = [
            QuarantineRecord(r.table, r.source_file, r.locator, r.reason, r.raw)
            for r in output.rejects
            if r.table == name
        ]
        if records or rejects:
            _ingest_records(run, TABLES[name], records, rejects, f"a_{name}")
    if events:
        for key, count in output.auxiliary.items():
            run.result.auxiliary[key] = run.result.auxiliary.get(key, 0) + count
        run.result.notes.extend(output.notes)


def _ingest_records(
    run: IngestRun,
    table: Table,
    records: list[SourceRecord],
    rejects: list[QuarantineRecord],
    name: str,
) -> None:
    """Validate and write adapter rows exactly like canonical rows."""
    run.con.register(f"{name}_arrow", _records_table(table, records))
    run_sql(run.con, f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_arrow")
    run.con.unregister(f"{name}_arrow")
    checked = f"{name}_checked"
    read = len(records) + len(rejects)
    invalid = _check(run, name, checked, table)
    for ordinal, reason in invalid:
        rec = records[int(ordinal) - 1]
        rejects.append(QuarantineRecord(table.name, rec.source_file, rec.locator, reason, rec.raw))
    sources = sorted({r.source_file for r in records} | {r.source_file for r in rejects})
    run.write_batch(table, checked, read, rejects, ", ".join(sources))
    _drop_temp(run.con, name)


def _records_table(table: Table, records: list[SourceRecord]) -> pa.Table:
    import json

    columns: dict[str, pa.Array] = {"_ord": pa.array(range(1, len(records) + 1), pa.int64())}
    for col in table.columns:
        values = [r.values.get(col.name) for r in records]
        arrow_type = pa.list_(pa.string()) if col.type is ColumnType.LIST else pa.string()
        columns[col.name] = pa.array(values, arrow_type)
    extras = []
    for r in records:
        extra = {k: v for k, v in r.values.items() if k not in table.column_names}
        extras.append(json.dumps(extra, ensure_ascii=False) if extra else None)
    columns["_extra"] = pa.array(extras, pa.string())
    return pa.table(columns)

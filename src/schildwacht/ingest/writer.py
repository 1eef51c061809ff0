"""Write validated rows into the store: events appended, context tables replaced by key.

Both paths write into the batch's staging folder first and hand the finished files to the
store, which publishes them only when the whole batch commits (see ``store.manifest``).

- Events: a record whose (``source_system``, ``event_id``) is already stored, or appeared
  earlier in the same delivery, is a duplicate: counted, not stored again.
- Context tables are snapshots: an incoming row replaces the stored row with the same key;
  within one delivery the last row of a key wins and earlier ones count as duplicates.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import ibis
import ibis.expr.types as ir

from schildwacht.contract import Table
from schildwacht.ingest.validate import VALID
from schildwacht.store.sql import run as run_sql
from schildwacht.store.store import Batch, Store


@dataclass
class Written:
    """What one batch did to one table."""

    accepted: int = 0
    duplicates: int = 0
    replaced: int = 0


def _sql(ibis_con: ibis.BaseBackend, expr: ir.Table) -> str:
    return str(ibis_con.compile(expr))


def _materialise(
    con: duckdb.DuckDBPyConnection, ibis_con: ibis.BaseBackend, name: str, expr: ir.Table
) -> None:
    run_sql(con, f"CREATE OR REPLACE TEMP TABLE {name} AS {_sql(ibis_con, expr)}")


def _count(con: duckdb.DuckDBPyConnection, name: str) -> int:
    row = con.execute(f"SELECT count(*) FROM {name}").fetchall()[0]
    return int(row[0]) if row else 0


def append_events(
    con: duckdb.DuckDBPyConnection,
    ibis_con: ibis.BaseBackend,
    store: Store,
    batch: Batch,
    checked: str,
    table: Table,
) -> Written:
    """Append the valid, new events of relation ``checked`` to the store."""
    valid = ibis_con.table(checked).filter(lambda t: t[VALID])
    key = list(table.key)
    first = valid
    if _has_repeated_keys(valid, key):  # the costly window only when a delivery repeats itself
        first = valid.mutate(
            _rank=ibis.row_number().over(ibis.window(group_by=key, order_by="_ord"))
        ).filter(lambda t: t._rank == 0)
    stored_files = [str(p) for p in store.files(table.name)]
    if stored_files:
        stored = ibis_con.read_parquet(stored_files).select(*key)
        first = first.anti_join(stored, key)
    new = first.select(*table.column_names, "_extra", date=first.occurred_at.date())
    out = batch.staging / "events"
    written = con.execute(
        f"COPY ({_sql(ibis_con, new)}) TO '{_literal(out)}' (FORMAT parquet, "
        "COMPRESSION zstd, PARTITION_BY (date), WRITE_PARTITION_COLUMNS true, "
        f"FILENAME_PATTERN '{batch.batch_id}_{{i}}')"
    ).fetchall()
    accepted = int(written[0][0]) if written else 0
    n_valid = _valid_count(con, checked)
    if accepted:
        for staged in sorted(out.rglob("*.parquet")):
            rel = f"events/{staged.parent.name}/{staged.name}"
            batch.added.setdefault("events", []).append(store.place(batch, staged, rel))
    return Written(accepted=accepted, duplicates=n_valid - accepted)


def _has_repeated_keys(rows: ir.Table, key: list[str]) -> bool:
    repeated = rows.group_by(key).agg(n=rows.count()).filter(lambda t: t.n > 1).count()
    return bool(repeated.to_pyarrow().as_py())


def _valid_count(con: duckdb.DuckDBPyConnection, checked: str) -> int:
    row = con.execute(f"SELECT count(*) FROM {checked} WHERE {VALID}").fetchall()[0]
    return int(row[0]) if row else 0


def _literal(path: Path) -> str:
    """A path as an SQL string literal body (quotes doubled)."""
    return str(path).replace("'", "''")


def replace_snapshot(
    con: duckdb.DuckDBPyConnection,
    ibis_con: ibis.BaseBackend,
    store: Store,
    batch: Batch,
    checked: str,
    table: Table,
) -> Written:
    """Merge the valid rows of ``checked`` into the table's snapshot, replacing by key."""
    valid = ibis_con.table(checked).filter(lambda t: t[VALID])
    key = list(table.key)
    latest = valid.mutate(
        _rank=ibis.row_number().over(ibis.window(group_by=key, order_by=ibis.desc("_ord")))
    ).filter(lambda t: t._rank == 0)
    incoming = latest.select(*table.column_names, "_extra")
    _materialise(con, ibis_con, "incoming", incoming)
    accepted = _count(con, "incoming")
    valid_count = _valid_count(con, checked)
    replaced = 0
    merged: ir.Table = ibis_con.table("incoming")
    current = store.files(table.name)
    if current:
        old = ibis_con.read_parquet([str(p) for p in current])
        old = old.select(*table.column_names, "_extra")
        kept = old.anti_join(ibis_con.table("incoming"), key)
        replaced = int(old.count().to_pyarrow().as_py()) - int(kept.count().to_pyarrow().as_py())
        merged = ibis.union(kept, ibis_con.table("incoming").cast(kept.schema()))
    if accepted or not current:
        staged = batch.staging / f"{table.name}.parquet"
        ordered = merged.order_by(key)
        run_sql(
            con,
            f"COPY ({_sql(ibis_con, ordered)}) TO '{_literal(staged)}' "
            "(FORMAT parquet, COMPRESSION zstd)",
        )
        rel = f"context/{table.name}/{batch.batch_id}.parquet"
        batch.replaced[table.name] = store.place(batch, staged, rel)
    return Written(accepted=accepted, duplicates=valid_count - accepted, replaced=replaced)

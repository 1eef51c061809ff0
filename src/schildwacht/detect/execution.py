"""The few things detection does that are not Ibis expressions, once per engine.

Every scenario, the explanation and the evidence tables are Ibis expressions that DuckDB and
Spark run alike. Four steps around them depend on the engine, and live here only:

- ``read_parquet``: the store's files by path (Ibis's PySpark backend reads one path only);
- ``register_empty``: an empty table with a schema, for an optional table nobody delivered;
- ``materialise``: compute an expression once and reuse it (a table in a scratch DuckDB
  file, dropped by ``release``; a cached Spark DataFrame behind a temporary view);
- ``fetch``: run an expression and return an Arrow table, timestamps as UTC instants (Ibis
  reads Spark's session-local ``TIMESTAMP`` as time-zone-naive and converts it through
  pandas; Spark's own Arrow conversion keeps the instant).

Spark is imported only when a Spark backend is in use (``schildwacht.detect.spark``).
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.schema as sch
import ibis.expr.types as ir
import pyarrow as pa

from schildwacht.store.sql import run as run_sql


def is_spark(con: ibis.BaseBackend) -> bool:
    return str(getattr(con, "name", "")) == "pyspark"


def read_parquet(con: ibis.BaseBackend, name: str, files: list[str]) -> ir.Table:
    """The Parquet ``files`` as one table (not loaded yet)."""
    if is_spark(con):
        from schildwacht.detect import spark

        return spark.read_parquet(con, name, files)
    return con.read_parquet(files)


def register_empty(con: ibis.BaseBackend, name: str, schema: sch.Schema) -> ir.Table:
    """An empty table called ``name`` with ``schema``, visible to compiled SQL."""
    if is_spark(con):
        from schildwacht.detect import spark

        return spark.register_empty(con, name, schema)
    con.con.register(name, schema.to_pyarrow().empty_table())
    return con.table(name)


def materialise(con: ibis.BaseBackend, name: str, expr: ir.Table) -> ir.Table:
    """Compute ``expr`` once into ``name`` and return that table.

    The statement around the Ibis-compiled query is fixed text with an internal name.
    """
    if is_spark(con):
        from schildwacht.detect import spark

        return spark.materialise(con, name, expr)
    sql = con.compile(expr)
    _attach_scratch(con.con)
    run_sql(con.con, f"CREATE OR REPLACE TABLE {SCRATCH}.main.{name} AS {sql}")
    return con.table(name, database=(SCRATCH, "main"))


def materialise_parts(con: ibis.BaseBackend, name: str, parts: list[ir.Table]) -> ir.Table:
    """``materialise`` the union of ``parts``, one part at a time on DuckDB.

    Each part's joins and aggregations then fit in memory; the whole at once spills many
    times the data to disk. Spark, which partitions its own work, gets the union.
    """
    if is_spark(con) or len(parts) == 1:
        return materialise(con, name, parts[0] if len(parts) == 1 else ibis.union(*parts))
    table = materialise(con, name, parts[0])
    for part in parts[1:]:
        run_sql(con.con, f"INSERT INTO {SCRATCH}.main.{name} {con.compile(part)}")
    return table


SCRATCH = "sw_scratch"
"""The scratch database that holds materialised tables on DuckDB.

A file, not temporary tables: a temporary table that outgrows the memory limit is spilled
uncompressed, and at 100 million events the explained accesses and the pair table spilled
past 50 GB. A table in a database file is stored compressed and needs no spilling. The file
lives in DuckDB's temp directory (the store's ``tmp/duckdb``) and ``release`` removes it.
"""


def _attach_scratch(con: Any) -> None:
    attached = con.execute(
        "SELECT count(*) FROM duckdb_databases() WHERE database_name = ?", [SCRATCH]
    ).fetchone()
    if attached and attached[0]:
        return
    folder = Path(con.execute("SELECT current_setting('temp_directory')").fetchone()[0])
    folder.mkdir(parents=True, exist_ok=True)
    remove_stale_scratch(folder)
    path = folder / f"detect-{os.getpid()}-{uuid.uuid4().hex[:8]}.duckdb"
    quoted = path.as_posix().replace("'", "''")
    con.execute(f"ATTACH '{quoted}' AS {SCRATCH}")


def remove_stale_scratch(folder: Path) -> list[Path]:
    """Remove scratch files whose detection process is gone (killed, or the machine stopped).

    They hold a copy of every access with its citizen's BSN; ``release`` cannot run when the
    process is killed, so the next run clears them. Returns what it removed.
    """
    removed = []
    for path in folder.glob("detect-*-*.duckdb*"):
        pid = path.name.split("-")[1]
        if pid.isdigit() and not _alive(int(pid)):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def _drop_scratch(con: Any) -> None:
    found = con.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = ?", [SCRATCH]
    ).fetchone()
    if not found:
        return
    con.execute(f"DETACH {SCRATCH}")
    for leftover in (Path(found[0]), Path(found[0] + ".wal")):
        leftover.unlink(missing_ok=True)


def fetch(con: ibis.BaseBackend, expr: ir.Table) -> pa.Table:
    """Run ``expr``; timestamps come back as UTC instants on every engine."""
    if is_spark(con):
        from schildwacht.detect import spark

        table = spark.fetch(con, expr)
    else:
        table = expr.to_pyarrow()
    return _utc(table)


def rows(con: ibis.BaseBackend, expr: ir.Table) -> list[dict[str, Any]]:
    """``fetch`` as a list of dicts."""
    return fetch(con, expr).to_pylist()


def release(con: ibis.BaseBackend) -> None:
    """Free what ``materialise`` kept (Spark's cache lives as long as its session)."""
    if is_spark(con):
        from schildwacht.detect import spark

        spark.release(con)
    else:
        _drop_scratch(con.con)


def _utc(table: pa.Table) -> pa.Table:
    fields = []
    for f in table.schema:
        if pa.types.is_timestamp(f.type) and f.type.tz is not None:
            f = f.with_type(pa.timestamp(f.type.unit, tz="UTC"))
        fields.append(f)
    schema = pa.schema(fields)
    return table if schema.equals(table.schema) else table.cast(schema)

"""The few things detection does that are not Ibis expressions, once per engine.

Every scenario, the explanation and the evidence tables are Ibis expressions that DuckDB and
Spark run alike. Four steps around them depend on the engine, and live here only:

- ``read_parquet``: the store's files by path (Ibis's PySpark backend reads one path only);
- ``register_empty``: an empty table with a schema, for an optional table nobody delivered;
- ``materialise``: compute an expression once and reuse it (a DuckDB temporary table; a
  cached Spark DataFrame behind a temporary view);
- ``fetch``: run an expression and return an Arrow table, timestamps as UTC instants (Ibis
  reads Spark's session-local ``TIMESTAMP`` as time-zone-naive and converts it through
  pandas; Spark's own Arrow conversion keeps the instant).

Spark is imported only when a Spark backend is in use (``schildwacht.detect.spark``).
"""

from __future__ import annotations

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
    run_sql(con.con, f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")
    return con.table(name)


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


def _utc(table: pa.Table) -> pa.Table:
    fields = []
    for f in table.schema:
        if pa.types.is_timestamp(f.type) and f.type.tz is not None:
            f = f.with_type(pa.timestamp(f.type.unit, tz="UTC"))
        fields.append(f)
    schema = pa.schema(fields)
    return table if schema.equals(table.schema) else table.cast(schema)

"""The Spark engine: a SparkSession and Ibis's PySpark backend on it.

``schildwacht detect --engine spark`` runs the same Ibis scenario definitions as DuckDB, on

- local mode (``local[2]``) when no remote is given: the JVM starts inside this process;
- Spark Connect when ``--spark-remote sc://HOST:15002`` is given: the cluster runs the
  queries and sends back only the findings;
- the cluster of ``spark-submit`` when this process was started by it (the session comes
  from spark-submit's configuration: ``--master``, memory, executors).

The cluster reads the store's Parquet files by the same absolute paths as this machine, so
the store must be on storage every node mounts under the same path. No Python runs on the
executors: Ibis compiles every scenario to Spark SQL.

The session runs in Europe/Amsterdam time, as the DuckDB connection does: a day, an hour
and a weekday are Dutch ones on both engines. This module imports pyspark; nothing else in
Schildwacht does, so the DuckDB path runs without it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.schema as sch
import ibis.expr.types as ir
import pyarrow as pa

from schildwacht.errors import UserError

TIME_ZONE = "Europe/Amsterdam"
LOCAL_MASTER = "local[2]"
DRIVER_MEMORY = "4g"
"""Local mode runs everything in the driver JVM; ``SCHILDWACHT_SPARK_MEMORY`` overrides it.
``SCHILDWACHT_SPARK_JAVA_OPTIONS`` adds JVM options to local mode (the parity test uses
``-XX:TieredStopAtLevel=1``: a quicker start for a small town, slower on a large one)."""
SHUFFLE_PARTITIONS = "8"
"""Spark's default of 200 shuffle partitions costs more in task overhead than it gains on
2 cores; adaptive execution still coalesces or splits them by size."""
MISSING = (
    "--engine spark needs PySpark: install the 'spark' extra "
    "(pip install --require-hashes -r requirements-spark.lock, or make install-spark)"
)

_KEPT: dict[int, list[str]] = {}  # backend id -> the temporary views of this run


def connect(remote: str | None = None, spill_dir: Path | None = None) -> ibis.BaseBackend:
    """An Ibis PySpark backend on a new or running session, in Dutch local time."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise UserError(MISSING) from None
    if remote is not None and not remote.startswith("sc://"):
        raise UserError(f"--spark-remote {remote!r} is not a Spark Connect URL (sc://HOST:15002)")
    try:
        if remote is not None:
            session = SparkSession.builder.remote(remote).getOrCreate()
        else:
            session = _local_builder(SparkSession.builder, spill_dir).getOrCreate()
            session.sparkContext.setLogLevel("ERROR")
    except ImportError as exc:  # Spark Connect's gRPC client is missing
        raise UserError(f"{MISSING} ({exc})") from None
    except Exception as exc:
        where = remote or LOCAL_MASTER
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UserError(
            f"Spark could not start a session on {where}: {first} "
            "(local mode needs Java 17: java -version)"
        ) from None
    backend = ibis.pyspark.connect(session)
    # Ibis sets the session to UTC; days, hours and weekdays must be Dutch ones, as on DuckDB
    session.conf.set("spark.sql.session.timeZone", TIME_ZONE)
    return backend


def _local_builder(builder: Any, spill_dir: Path | None) -> Any:
    """Local mode, unless spark-submit started this process (then its settings hold)."""
    builder = builder.appName("schildwacht-detect")
    if os.environ.get("PYSPARK_GATEWAY_PORT"):
        return builder  # launched by spark-submit: --master and memory come from there
    builder = (
        builder.master(LOCAL_MASTER)
        .config("spark.driver.memory", os.environ.get("SCHILDWACHT_SPARK_MEMORY", DRIVER_MEMORY))
        .config("spark.sql.session.timeZone", TIME_ZONE)
        .config("spark.sql.shuffle.partitions", SHUFFLE_PARTITIONS)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")  # stdout belongs to the command
    )
    if java_options := os.environ.get("SCHILDWACHT_SPARK_JAVA_OPTIONS"):
        builder = builder.config("spark.driver.extraJavaOptions", java_options)
    if spill_dir is not None:
        spill_dir.mkdir(parents=True, exist_ok=True)
        builder = builder.config("spark.local.dir", str(spill_dir))
    return builder


def _session(con: ibis.BaseBackend) -> Any:
    return con._session


def read_parquet(con: ibis.BaseBackend, name: str, files: list[str]) -> ir.Table:
    """The files as one table, by absolute path (the cluster must see the same paths)."""
    frame = _session(con).read.parquet(*[str(Path(f).resolve()) for f in files])
    return _view(con, name, frame)


def register_empty(con: ibis.BaseBackend, name: str, schema: sch.Schema) -> ir.Table:
    from ibis.backends.pyspark.datatypes import PySparkSchema

    frame = _session(con).createDataFrame([], schema=PySparkSchema.from_ibis(schema))
    return _view(con, name, frame)


def _instants(table: ir.Table) -> ir.Table:
    """Spark's ``TIMESTAMP`` is an instant shown in session time, which Ibis types as
    time-zone-naive; typed as UTC instants, as DuckDB types Parquet's UTC timestamps, every
    expression compiles from the same types on both engines."""
    utc = dt.Timestamp(timezone="UTC")
    stamps = {c: table[c].cast(utc) for c, t in table.schema().items() if t.is_timestamp()}
    return table.mutate(**stamps) if stamps else table


def materialise(con: ibis.BaseBackend, name: str, expr: ir.Table) -> ir.Table:
    """Compute ``expr`` now into a checkpointed DataFrame, visible as the view ``name``.

    A local checkpoint keeps the rows on the executors and forgets the plan that made them,
    so the scenarios' queries stay small: with ``cache()`` every scenario's plan carried the
    whole explanation plan along, and Spark spent seconds per query planning around it.
    """
    frame = _session(con).sql(con.compile(expr))
    return _view(con, name, frame.localCheckpoint(eager=True))


def _view(con: ibis.BaseBackend, name: str, frame: Any) -> ir.Table:
    """``frame`` as the temporary view ``name``, dropped again by ``release``."""
    frame.createOrReplaceTempView(name)
    _KEPT.setdefault(id(con), []).append(name)
    return _instants(con.table(name))


def fetch(con: ibis.BaseBackend, expr: ir.Table) -> pa.Table:
    """Run ``expr`` and return Spark's own Arrow result (instants stay instants)."""
    return _session(con).sql(con.compile(expr)).toArrow()


def release(con: ibis.BaseBackend) -> None:
    """Drop this run's views; Spark frees the checkpointed rows once nothing refers to
    them. The session stays for a next run (and, on a cluster, for others)."""
    catalog = _session(con).catalog
    for name in _KEPT.pop(id(con), []):
        catalog.dropTempView(name)

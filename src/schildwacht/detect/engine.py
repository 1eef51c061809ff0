"""Run every stage of detection on a store: explain, scenarios, scoring.

This module computes; it does not persist. ``runner.py`` stores the alerts and records the
run. Keeping them apart lets tests and the Spark engine call the same computation.

Two engines run the same expressions: DuckDB (the default, in this process) and Spark
(``--engine spark``: local mode, Spark Connect or spark-submit; ``spark.py``). Where they
differ outside the expressions is kept in ``execution.py``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import ibis

from schildwacht.detect import execution
from schildwacht.detect.context import load_context
from schildwacht.detect.evidence import build_evidence
from schildwacht.detect.model import AlertCandidate
from schildwacht.detect.scenarios import SCENARIOS
from schildwacht.detect.scoring import (
    ScoredFinding,
    ScoringSettings,
    build_alerts,
    finding_from_row,
)
from schildwacht.errors import UserError
from schildwacht.store.sql import run as run_sql
from schildwacht.store.store import Store

FindingFilter = Callable[[ScoredFinding, dict[str, Any]], bool]
Engine = Literal["duckdb", "spark"]
ENGINES: tuple[Engine, ...] = ("duckdb", "spark")


@dataclass
class DetectionOutput:
    """What one computation produced, with the accountability record of how."""

    alerts: list[AlertCandidate]
    findings: list[ScoredFinding]
    versions: dict[str, str]
    sql: dict[str, str]
    seconds: dict[str, float] = field(default_factory=dict)
    suppressed: int = 0
    departments: dict[str, str | None] = field(default_factory=dict)  # employee -> department


DETECT_MEMORY_LIMIT = "3GB"
"""Detection joins every access with cases and appointments; with 3 GB DuckDB spills far
less than with ingest's 1 GB, and the whole process stays under 4 GB at 10 million events.
``SCHILDWACHT_MEMORY_LIMIT`` overrides it."""


def connect(store: Store) -> ibis.BaseBackend:
    """An Ibis DuckDB backend on the store, in Dutch local time."""
    con = store.connect(os.environ.get("SCHILDWACHT_MEMORY_LIMIT", DETECT_MEMORY_LIMIT))
    backend = ibis.duckdb.from_connection(con)
    run_sql(con, "SET TimeZone = 'Europe/Amsterdam'")  # Ibis sets UTC; days are Dutch days
    return backend


def connect_engine(
    store: Store, engine: Engine = "duckdb", spark_remote: str | None = None
) -> ibis.BaseBackend:
    """The Ibis backend of ``engine``; Spark is imported only when asked for."""
    if engine == "duckdb":
        if spark_remote is not None:
            raise UserError("--spark-remote needs --engine spark")
        return connect(store)
    if engine == "spark":
        from schildwacht.detect import spark

        return spark.connect(spark_remote, spill_dir=store.root / "tmp" / "spark")
    raise UserError(f"unknown engine {engine!r}: choose one of {', '.join(ENGINES)}")


def compute(
    store: Store,
    params: dict[str, Any],
    scoring: ScoringSettings,
    keep: FindingFilter | None = None,
    *,
    engine: Engine = "duckdb",
    spark_remote: str | None = None,
) -> DetectionOutput:
    """Explain, run every scenario, score. ``keep`` may drop findings (suppressions)."""
    started = time.perf_counter()
    backend = connect_engine(store, engine, spark_remote)
    timings = {"connect": time.perf_counter() - started}  # Spark: the session's start
    try:
        return _compute(backend, store, params, scoring, keep, timings)
    finally:
        execution.release(backend)


def _compute(
    backend: ibis.BaseBackend,
    store: Store,
    params: dict[str, Any],
    scoring: ScoringSettings,
    keep: FindingFilter | None,
    timings: dict[str, float],
) -> DetectionOutput:
    started = time.perf_counter()
    ctx = load_context(store, backend, params)
    evidence = build_evidence(ctx)
    timings["explanation"] = time.perf_counter() - started
    findings: list[ScoredFinding] = []
    sql: dict[str, str] = {}
    suppressed = 0
    employees = _employee_teams(backend, ctx.employees)
    weights = params.get("scoring.scenario_weights") or {}
    for code, scenario in SCENARIOS.items():
        began = time.perf_counter()
        weight = float(weights.get(code, 1.0))
        if weight == 0:
            continue  # the municipality switched this scenario off
        settings = scenario.settings(evidence)
        expr = scenario.expression(evidence, settings)
        sql[code] = str(backend.compile(expr))
        for row in execution.rows(backend, expr):
            assessment = scenario.assess(row, settings)
            if assessment is None or assessment.points <= 0:
                continue
            if weight != 1.0:
                assessment = replace(assessment, points=assessment.points * weight)
            finding = finding_from_row(code, scenario.version, row, assessment)
            if keep is not None and not keep(finding, employees.get(finding.employee_id, {})):
                suppressed += 1
                continue
            findings.append(finding)
        timings[code] = time.perf_counter() - began
    began = time.perf_counter()
    alerts = build_alerts(findings, scoring)
    timings["scoring"] = time.perf_counter() - began
    versions = {code: s.version for code, s in SCENARIOS.items()}
    departments = {e: row.get("department") for e, row in employees.items()}
    return DetectionOutput(alerts, findings, versions, sql, timings, suppressed, departments)


def _employee_teams(backend: ibis.BaseBackend, employees: Any) -> dict[str, dict[str, Any]]:
    rows = execution.rows(backend, employees.select("employee_id", "team", "department"))
    return {str(r["employee_id"]): r for r in rows}

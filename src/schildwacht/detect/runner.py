"""``schildwacht detect``: compute alerts on the store and keep them, with the run's record.

Every run recomputes explanations, baselines and findings over all history (baselines need
it, and DuckDB does it in seconds), then writes only what changed: a new alert, or an
existing alert whose evidence changed. Re-running on unchanged data therefore changes nothing,
and alert ids are stable. The run records the scenario versions, the SQL each scenario
compiled to, the counts, and the event files it saw, in one transaction with the alerts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from schildwacht.app.alerts.service import UpsertCounts, upsert_alerts
from schildwacht.app.audit.settings_changes import record_settings
from schildwacht.app.db import open_database
from schildwacht.app.detection_runs.service import finish_run, start_run
from schildwacht.app.suppressions.service import (
    active_suppressions,
    amsterdam_today,
    matching_suppression,
)
from schildwacht.config import Settings, load_settings, write_default_settings
from schildwacht.detect.engine import DetectionOutput, Engine, compute
from schildwacht.detect.scenarios import SCENARIOS
from schildwacht.detect.scoring import ScoredFinding, ScoringSettings
from schildwacht.store.store import Store


@dataclass
class DetectionSummary:
    """What a run did, for the command's output."""

    run_id: str
    counts: UpsertCounts
    output: DetectionOutput


def detection_params(settings: Settings) -> dict[str, Any]:
    """The flat parameters the detection stages read (``section.name`` keys)."""
    params: dict[str, Any] = {}
    for section in ("explanation", "scoring"):
        values = getattr(settings, section)
        for name in values.__dataclass_fields__:
            params[f"{section}.{name}"] = getattr(values, name)
    for code, scenario in SCENARIOS.items():
        params[f"scenarios.{code}"] = settings.scenario_params(code, scenario.params)
    return params


def scoring_settings(settings: Settings) -> ScoringSettings:
    return ScoringSettings(
        scale=settings.scoring.score_scale, threshold=settings.scoring.alert_threshold
    )


def run_detection(
    store: Store, *, engine: Engine = "duckdb", spark_remote: str | None = None
) -> DetectionSummary:
    """Detect on ``store`` and store the alerts; see the module docstring.

    ``engine`` computes (``spark``: local mode, or Spark Connect at ``spark_remote``); the
    alerts, the run's record and the settings stay in the application database either way.
    """
    write_default_settings(store.root, {c: s.params for c, s in SCENARIOS.items()})
    settings = load_settings(store.root)
    sessions = open_database(settings)
    with sessions() as session:
        suppressions = active_suppressions(session, today=amsterdam_today())

    def keep(finding: ScoredFinding, employee: dict[str, Any]) -> bool:
        return (
            matching_suppression(
                suppressions,
                scenario=finding.scenario,
                employee_id=finding.employee_id,
                team=employee.get("team"),
                department=employee.get("department"),
                subject_bsn=finding.subject_bsn,
                first_seen=finding.first_seen,
                last_seen=finding.last_seen,
            )
            is None
        )

    output = compute(
        store,
        detection_params(settings),
        scoring_settings(settings),
        keep,
        engine=engine,
        spark_remote=spark_remote,
    )
    files = store.manifest.tables.get("events", [])
    with sessions.begin() as session:
        record_settings(session, settings=settings, actor="system:detect")
        run_id = start_run(session)
        counts = upsert_alerts(
            session, candidates=output.alerts, run_id=run_id, departments=output.departments
        )
        finish_run(
            session,
            run_id=run_id,
            counts=counts,
            sql=output.sql,
            versions=output.versions,
            files=files,
        )
    return DetectionSummary(run_id=run_id, counts=counts, output=output)

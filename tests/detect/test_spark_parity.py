"""Spark and DuckDB give identical alerts from the same scenario definitions.

A small simulated town (every scenario fires in it, name browsing included) runs through
``compute`` on DuckDB and on real local-mode PySpark. Its four weeks cross the switch to
summer time (29 March 2026), and its findings depend on local hours, weekdays and days: a
time-zone, day-of-week or day-boundary difference between the engines changes them (with
the Spark session left in UTC, as Ibis sets it, this test fails). About a minute on 2 cores,
most of it Spark starting and compiling.
"""

from __future__ import annotations

import importlib.util
from collections import Counter
from datetime import date

import pytest

from schildwacht.config import Settings
from schildwacht.detect.engine import DetectionOutput, compute
from schildwacht.detect.runner import detection_params, scoring_settings
from schildwacht.detect.scenarios import SCENARIOS
from schildwacht.detect.scoring import ScoredFinding
from schildwacht.ingest.pipeline import ingest
from schildwacht.simulate.generate import simulate
from schildwacht.store.store import Store

pytestmark = [
    pytest.mark.spark,
    pytest.mark.skipif(
        importlib.util.find_spec("pyspark") is None,
        reason="pyspark is not installed (the 'spark' extra: make install-spark)",
    ),
]

TOWN = {"seed": 11, "employees": 60, "citizens": 3000, "days": 28, "start": date(2026, 3, 16)}


@pytest.fixture(scope="module")
def outputs(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[DetectionOutput, DetectionOutput]:
    root = tmp_path_factory.mktemp("parity")
    simulate(root / "town", **TOWN)  # type: ignore[arg-type]
    store = Store(root / "store")
    store.ensure()
    ingest(store, sorted(p for p in (root / "town").iterdir() if p.suffix == ".csv"))
    settings = Settings()
    params, scoring = detection_params(settings), scoring_settings(settings)
    with pytest.MonkeyPatch.context() as mp:
        # a small town: the JVM's quick compiler starts in half the time
        mp.setenv("SCHILDWACHT_SPARK_JAVA_OPTIONS", "-XX:TieredStopAtLevel=1")
        on_spark = compute(store, params, scoring, engine="spark")
    return compute(store, params, scoring, engine="duckdb"), on_spark


Key = tuple[str, str, str, tuple[str, ...]]


def _by_key(findings: list[ScoredFinding]) -> dict[Key, ScoredFinding]:
    """Findings by scenario, employee, subject and reasons.

    The reasons belong in the key: one scenario can return two rows for one employee and
    subject (``leaver``: used after leaving, and dormant before).
    """
    keyed = {
        (
            f.scenario,
            f.employee_id,
            f.subject_bsn or "",
            tuple(r.code for r in f.assessment.reasons),
        ): f
        for f in findings
    }
    assert len(keyed) == len(findings), "a scenario returned two rows for one key"
    return keyed


def test_the_town_exercises_every_scenario(
    outputs: tuple[DetectionOutput, DetectionOutput],
) -> None:
    duck, _ = outputs
    found = Counter(f.scenario for f in duck.findings)
    assert set(found) == set(SCENARIOS), f"no findings: {set(SCENARIOS) - set(found)}"
    reasons = {r.code for f in duck.findings for r in f.assessment.reasons}
    assert {"off_hours", "returned"} <= reasons  # local hours, weekends and days matter here


def test_findings_are_identical(outputs: tuple[DetectionOutput, DetectionOutput]) -> None:
    duck, spark = _by_key(outputs[0].findings), _by_key(outputs[1].findings)
    assert sorted(spark) == sorted(duck)
    for key, expected in duck.items():
        assert spark[key] == expected, key  # times, event ids, points and reasons


def test_alerts_are_identical(outputs: tuple[DetectionOutput, DetectionOutput]) -> None:
    duck, spark = outputs
    assert [a.alert_id for a in spark.alerts] == [a.alert_id for a in duck.alerts]
    for expected, got in zip(duck.alerts, spark.alerts, strict=True):
        assert got.score == expected.score, expected.alert_id
        assert got.scenarios == expected.scenarios, expected.alert_id
        assert got.reasons == expected.reasons, expected.alert_id
        assert got.event_ids == expected.event_ids, expected.alert_id
        assert got == expected  # and everything else: subjects, times, summaries, versions
    assert spark.departments == duck.departments
    assert spark.versions == duck.versions

"""The default town: about two million events in well under a minute on two cores."""

from __future__ import annotations

from pathlib import Path

import pytest

from schildwacht.simulate import SCENARIOS, simulate
from tests.simulate.conftest import EXPLAINED_SQL, NOT_LABELLED, load


@pytest.mark.slow
def test_default_town_is_big_fast_and_explained(tmp_path: Path) -> None:
    summary = simulate(tmp_path / "town")
    assert 1_500_000 <= summary.rows["events"] <= 2_600_000
    assert summary.seconds < 60
    assert 40 <= sum(summary.incidents.values()) <= 80
    assert set(summary.incidents) == set(SCENARIOS) and min(summary.incidents.values()) >= 2
    assert len(list((tmp_path / "town").glob("events-*.csv"))) >= 2
    db = load(tmp_path / "town")
    busiest = db.execute(
        "SELECT max(n) FROM (SELECT employee_id, CAST(occurred_at AS DATE), count(*) AS n"
        " FROM ev JOIN emp USING (employee_id) WHERE service_account = 'true' GROUP BY ALL)"
    ).fetchone()
    assert busiest is not None and busiest[0] > 2_000  # batch jobs touch thousands a day
    row = db.execute(
        f"SELECT avg(explained::INT) FROM ({EXPLAINED_SQL}) x WHERE {NOT_LABELLED.format(e='x')}"
    ).fetchone()
    assert row is not None and 0.95 <= row[0] <= 0.985  # 2-4% of legitimate access unexplained

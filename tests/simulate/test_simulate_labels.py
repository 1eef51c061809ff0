"""Labelled incidents: every scenario present, grounded in real rows and real events."""

from __future__ import annotations

import duckdb
import pytest

from schildwacht.simulate import SCENARIOS
from tests.simulate.conftest import EXPLAINED_SQL

INCIDENT_EVENTS = """
SELECT lab.incident_id, lab.scenario, ev.* FROM lab JOIN ev
  ON ev.employee_id = lab.employee_id AND ev.occurred_at BETWEEN lab.start_at AND lab.end_at
 AND (len(lab.subject_bsns) = 0 OR list_contains(lab.subject_bsns, ev.subject_bsn))
"""


def test_every_scenario_is_labelled(sim_db: duckdb.DuckDBPyConnection) -> None:
    found = dict(sim_db.execute("SELECT scenario, count(*) FROM lab GROUP BY ALL").fetchall())
    assert set(found) == set(SCENARIOS)
    assert all(n >= 1 for n in found.values())


def test_label_employees_and_subjects_exist(sim_db: duckdb.DuckDBPyConnection) -> None:
    missing = sim_db.execute(
        "SELECT incident_id FROM lab WHERE employee_id NOT IN (SELECT employee_id FROM emp)"
    ).fetchall()
    assert missing == []
    unknown = sim_db.execute(
        "SELECT incident_id, s FROM (SELECT incident_id, unnest(subject_bsns) AS s FROM lab)"
        " WHERE s NOT IN (SELECT bsn FROM cit)"
        " AND s NOT IN (SELECT bsn FROM emp WHERE bsn IS NOT NULL)"
    ).fetchall()
    assert unknown == []
    empty = sim_db.execute("SELECT scenario FROM lab WHERE len(subject_bsns) = 0").fetchall()
    assert {s for (s,) in empty} <= {"bulk"}


def test_every_incident_has_events_on_its_subjects_in_its_window(
    sim_db: duckdb.DuckDBPyConnection,
) -> None:
    without = sim_db.execute(
        f"SELECT incident_id, scenario FROM lab WHERE incident_id NOT IN"
        f" (SELECT incident_id FROM ({INCIDENT_EVENTS}))"
    ).fetchall()
    assert without == []
    uncovered = sim_db.execute(
        "SELECT lab.incident_id, s FROM (SELECT incident_id, unnest(subject_bsns) AS s FROM lab) x"
        f" JOIN lab USING (incident_id) WHERE NOT EXISTS (SELECT 1 FROM ({INCIDENT_EVENTS}) i"
        " WHERE i.incident_id = x.incident_id AND i.subject_bsn = x.s)"
    ).fetchall()
    assert uncovered == [], "every listed subject is touched by the incident's own events"


def test_incident_events_have_no_work_reason(sim_db: duckdb.DuckDBPyConnection) -> None:
    rows = sim_db.execute(
        f"WITH x AS ({EXPLAINED_SQL}), i AS ({INCIDENT_EVENTS})"
        " SELECT i.scenario, count(*), sum(x.explained::INT)"
        " FROM i JOIN x USING (source_system, event_id)"
        " WHERE i.scenario <> 'bulk' GROUP BY ALL"
    ).fetchall()
    assert rows
    for scenario, total, explained in rows:
        assert explained == 0, f"{scenario}: {explained} of {total} incident events are explained"


@pytest.mark.parametrize(
    ("scenario", "check"),
    [
        ("self", "s = e.bsn"),
        ("family", "EXISTS (SELECT 1 FROM rel WHERE (rel.bsn = e.bsn AND rel.related_bsn = s)"
                   " OR (rel.related_bsn = e.bsn AND rel.bsn = s))"),
        ("neighbour", "s IN (SELECT bsn FROM cit WHERE postcode = e.postcode) AND s <> e.bsn"),
        ("coworker", "s IN (SELECT bsn FROM emp WHERE employee_id <> e.employee_id)"),
        ("watchlist", "s IN (SELECT bsn FROM wl)"),
        ("confidential", "s IN (SELECT bsn FROM cit WHERE confidential = 'true')"),
    ],
)  # fmt: skip
def test_relationship_scenarios_have_the_relationship(
    sim_db: duckdb.DuckDBPyConnection, scenario: str, check: str
) -> None:
    rows = sim_db.execute(
        f"SELECT incident_id, {check} FROM (SELECT *, unnest(subject_bsns) AS s FROM lab) l"
        f" JOIN emp e USING (employee_id) WHERE scenario = '{scenario}'"
    ).fetchall()
    assert rows and all(ok for _, ok in rows), rows


def test_ex_partner_snooping_is_among_family_incidents(sim_db: duckdb.DuckDBPyConnection) -> None:
    ex = sim_db.execute(
        "SELECT count(*) FROM (SELECT *, unnest(subject_bsns) AS s FROM lab) l"
        " JOIN emp e USING (employee_id)"
        " WHERE scenario = 'family' AND EXISTS (SELECT 1 FROM rel WHERE relation = 'ex_partner'"
        " AND ((rel.bsn = e.bsn AND rel.related_bsn = s)"
        " OR (rel.related_bsn = e.bsn AND rel.bsn = s)))"
    ).fetchone()
    assert ex is not None and ex[0] >= 1


def test_leaver_incidents_happen_after_the_last_working_day(
    sim_db: duckdb.DuckDBPyConnection,
) -> None:
    rows = sim_db.execute(
        "SELECT incident_id, CAST(start_at AS DATE) > CAST(employed_until AS DATE) FROM lab"
        " JOIN emp USING (employee_id) WHERE scenario = 'leaver'"
    ).fetchall()
    assert rows and all(ok for _, ok in rows)


def test_bulk_is_far_above_a_normal_day(sim_db: duckdb.DuckDBPyConnection) -> None:
    rows = sim_db.execute(
        "WITH d AS (SELECT employee_id, CAST(occurred_at AS DATE) AS day,"
        " count(DISTINCT subject_bsn) AS people FROM ev JOIN emp USING (employee_id)"
        " WHERE service_account = 'false' GROUP BY ALL),"
        " normal AS (SELECT quantile_cont(people, 0.9) AS p90, quantile_cont(people, 0.99) AS p99"
        " FROM d)"
        " SELECT lab.incident_id, max(d.people) > greatest(3 * any_value(p90), any_value(p99))"
        " FROM lab JOIN d ON d.employee_id = lab.employee_id"
        " AND d.day BETWEEN CAST(lab.start_at AS DATE) AND CAST(lab.end_at AS DATE), normal"
        " WHERE scenario = 'bulk' GROUP BY ALL"
    ).fetchall()
    assert rows and all(ok for _, ok in rows), rows

"""Legitimate work looks like a municipality's: mostly explained, by the right people, on time."""

from __future__ import annotations

import duckdb

from tests.simulate.conftest import EXPLAINED_SQL, NOT_LABELLED


def _one(db: duckdb.DuckDBPyConnection, sql: str) -> float:
    row = db.execute(sql).fetchone()
    assert row is not None
    return float(row[0])


def test_most_human_access_is_explained_by_a_case_or_appointment(
    sim_db: duckdb.DuckDBPyConnection,
) -> None:
    legit = NOT_LABELLED.format(e="x")
    share = _one(sim_db, f"SELECT avg(explained::INT) FROM ({EXPLAINED_SQL}) x WHERE {legit}")
    assert 0.93 <= share <= 0.995, share  # a few percent legitimately have no record


def test_team_cases_and_covering_colleagues_exist(sim_db: duckdb.DuckDBPyConnection) -> None:
    team_only = _one(sim_db, "SELECT count(*) FROM cs WHERE assignee_employee_id IS NULL")
    long_running = _one(
        sim_db,
        "SELECT count(*) FROM cs WHERE coalesce(closed_at, now()) - opened_at > INTERVAL 60 DAY",
    )
    covered = _one(
        sim_db,
        "SELECT count(*) FROM ev JOIN emp USING (employee_id) JOIN cs USING (case_id, subject_bsn)"
        " WHERE cs.assignee_employee_id IS NOT NULL AND cs.assignee_employee_id <> ev.employee_id"
        " AND cs.assignee_team = emp.team",
    )
    assert team_only > 0 and long_running > 0 and covered > 0


def test_desk_serves_appointments_and_walk_ins(sim_db: duckdb.DuckDBPyConnection) -> None:
    desk = f"SELECT * FROM ({EXPLAINED_SQL}) WHERE emp_team = 'Publiekszaken Balie'"
    served = _one(sim_db, f"SELECT avg(explained::INT) FROM ({desk})")
    walk_ins = _one(sim_db, f"SELECT count(*) FROM ({desk}) WHERE NOT explained")
    assert served > 0.85 and walk_ins > 0


def test_service_accounts_touch_many_records_at_night(sim_db: duckdb.DuckDBPyConnection) -> None:
    night = _one(
        sim_db,
        "SELECT avg((hour(occurred_at) < 6)::INT) FROM ev JOIN emp USING (employee_id)"
        " WHERE service_account = 'true'",
    )
    assert night == 1.0
    per_day = sim_db.execute(
        "WITH d AS (SELECT employee_id, service_account, CAST(occurred_at AS DATE) AS day,"
        " count(*) AS n FROM ev JOIN emp USING (employee_id) GROUP BY ALL)"
        " SELECT max(n) FILTER (WHERE service_account = 'true'),"
        " median(n) FILTER (WHERE service_account = 'false') FROM d"
    ).fetchone()
    assert per_day is not None and per_day[0] > 2 * per_day[1]


def test_people_work_office_hours_on_weekdays(sim_db: duckdb.DuckDBPyConnection) -> None:
    office = _one(
        sim_db,
        "SELECT avg((isodow(occurred_at) <= 5 AND hour(occurred_at) BETWEEN 7 AND 18)::INT)"
        " FROM ev JOIN emp USING (employee_id) WHERE service_account = 'false'",
    )
    assert 0.9 < office < 1.0  # some overtime, evenings and odd hours exist


def test_no_legitimate_work_outside_employment(sim_db: duckdb.DuckDBPyConnection) -> None:
    outside = sim_db.execute(
        "SELECT ev.employee_id, count(*) FROM ev JOIN emp USING (employee_id)"
        " WHERE (CAST(ev.occurred_at AS DATE) > CAST(emp.employed_until AS DATE)"
        "   OR CAST(ev.occurred_at AS DATE) < CAST(emp.employed_from AS DATE))"
        " AND ev.employee_id NOT IN (SELECT employee_id FROM lab WHERE scenario = 'leaver')"
        " GROUP BY ALL"
    ).fetchall()
    assert outside == []
    leavers = _one(sim_db, "SELECT count(*) FROM emp WHERE employed_until IS NOT NULL")
    assert leavers >= 2


def test_searches_carry_terms_and_result_counts(sim_db: duckdb.DuckDBPyConnection) -> None:
    bad = _one(
        sim_db,
        "SELECT count(*) FROM ev WHERE action = 'search' AND (search_terms IS NULL"
        " OR result_count IS NULL OR (result_count > 1 AND subject_bsn IS NOT NULL))",
    )
    assert bad == 0
    kinds = sim_db.execute(
        "SELECT DISTINCT CASE WHEN regexp_full_match(search_terms, '[0-9]{9}') THEN 'bsn'"
        " WHEN regexp_matches(search_terms, '^[0-9]{4}[A-Z]{2}') THEN 'address' ELSE 'name' END"
        " FROM ev WHERE action = 'search'"
    ).fetchall()
    assert {k for (k,) in kinds} == {"bsn", "address", "name"}
    many = _one(sim_db, "SELECT count(*) FROM ev WHERE action = 'search' AND subject_bsn IS NULL")
    assert many > 0


def test_staff_live_in_town_with_their_own_records(sim_db: duckdb.DuckDBPyConnection) -> None:
    share = _one(
        sim_db, "SELECT avg((bsn IS NOT NULL)::INT) FROM emp WHERE service_account = 'false'"
    )
    assert 0.3 < share < 0.6
    mismatched = _one(
        sim_db,
        "SELECT count(*) FROM emp JOIN cit USING (bsn) WHERE emp.postcode <> cit.postcode"
        " OR emp.house_number <> cit.house_number OR emp.surname <> cit.surname",
    )
    assert mismatched == 0
    with_family = _one(
        sim_db,
        "SELECT count(DISTINCT emp.employee_id) FROM emp"
        " JOIN rel ON rel.bsn = emp.bsn OR rel.related_bsn = emp.bsn",
    )
    assert with_family > 0


def test_population_looks_dutch(sim_db: duckdb.DuckDBPyConnection) -> None:
    minors = _one(
        sim_db, "SELECT avg((CAST(birth_date AS DATE) > DATE '2008-01-05')::INT) FROM cit"
    )
    assert 0.15 < minors < 0.3
    assert _one(sim_db, "SELECT count(*) FROM cit WHERE deceased_on IS NOT NULL") > 0
    assert _one(sim_db, "SELECT count(*) FROM cit WHERE confidential = 'true'") > 0
    shared = _one(
        sim_db, "SELECT count(*) FROM (SELECT postcode FROM cit GROUP BY ALL HAVING count(*) >= 15)"
    )
    assert shared > 0
    additions = _one(
        sim_db, "SELECT count(*) FROM cit WHERE regexp_matches(house_number, '[-A-Z]')"
    )
    assert additions > 0
    top = sim_db.execute(
        "SELECT surname FROM cit GROUP BY ALL ORDER BY count(*) DESC, surname LIMIT 10"
    ).fetchall()
    common = {
        "Jong",
        "Jansen",
        "Vries",
        "Berg",
        "Dijk",
        "Bakker",
        "Janssen",
        "Visser",
        "Smit",
        "Meijer",
    }
    assert len({s for (s,) in top} & common) >= 3

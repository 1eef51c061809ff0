"""Shared small simulations and a DuckDB view of a generated data set.

Simulations are session-scoped: one small town per format, reused by every test, keeps the
whole suite fast while every test still reads real generated files.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest

from schildwacht.contract import LABELS_FILE
from schildwacht.simulate import SimulationSummary, simulate

SMALL: dict[str, Any] = {"employees": 60, "citizens": 2000, "days": 10}
SEED = 7

Town = tuple[Path, SimulationSummary]


def _timestamps(fmt: str, column: str) -> str:
    """SQL that turns a contract timestamp column into TIMESTAMPTZ for any format."""
    return column if fmt == "parquet" else f"CAST({column} AS TIMESTAMPTZ)"


def load(folder: Path, fmt: str = "csv") -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with one view per contract table of ``folder``.

    Timestamps are parsed (offset-less ones as Europe/Amsterdam local time, as the contract
    says); every other column is text, so BSNs keep their leading zeros.
    """
    con = duckdb.connect()
    con.execute("SET TimeZone = 'Europe/Amsterdam'")
    if fmt == "csv":
        reader = "read_csv('{}', all_varchar = true)"
    elif fmt == "jsonl":
        reader = "read_json('{}', format = 'newline_delimited')"
    else:
        reader = "read_parquet('{}')"

    def src(name: str) -> str:
        return reader.format((folder / f"{name}*.{fmt}").as_posix())

    def ts(column: str) -> str:
        return _timestamps(fmt, column)

    con.execute(
        f"CREATE VIEW ev AS SELECT * REPLACE ({ts('occurred_at')} AS occurred_at,"
        f" CAST(result_count AS BIGINT) AS result_count) FROM {src('events')}"
    )
    con.execute(f"CREATE VIEW emp AS SELECT * FROM {src('employees')}")
    con.execute(
        f"CREATE VIEW cs AS SELECT * REPLACE ({ts('opened_at')} AS opened_at,"
        f" {ts('closed_at')} AS closed_at) FROM {src('cases')}"
    )
    con.execute(
        f"CREATE VIEW ap AS SELECT * REPLACE ({ts('starts_at')} AS starts_at)"
        f" FROM {src('appointments')}"
    )
    con.execute(f"CREATE VIEW cit AS SELECT * FROM {src('citizens')}")
    con.execute(f"CREATE VIEW rel AS SELECT * FROM {src('relations')}")
    con.execute(f"CREATE VIEW wl AS SELECT * FROM {src('watchlist')}")
    labels = (folder / LABELS_FILE).as_posix()
    con.execute(
        "CREATE VIEW lab AS SELECT incident_id, scenario, employee_id, subject_bsns,"
        ' CAST(start AS TIMESTAMPTZ) AS start_at, CAST("end" AS TIMESTAMPTZ) AS end_at'
        f" FROM read_json('{labels}', columns = {{incident_id: 'VARCHAR', scenario: 'VARCHAR',"
        " employee_id: 'VARCHAR', subject_bsns: 'VARCHAR[]', start: 'VARCHAR', \"end\": 'VARCHAR'})"
    )
    return con


EXPLAINED_SQL = """
SELECT ev.*, emp.team AS emp_team,
  EXISTS (SELECT 1 FROM cs WHERE cs.subject_bsn = ev.subject_bsn
          AND (cs.assignee_employee_id = ev.employee_id OR cs.assignee_team = emp.team)
          AND ev.occurred_at >= cs.opened_at - INTERVAL 7 DAY
          AND (cs.closed_at IS NULL OR ev.occurred_at <= cs.closed_at + INTERVAL 30 DAY))
  OR EXISTS (SELECT 1 FROM ap WHERE ap.subject_bsn = ev.subject_bsn
          AND (ap.employee_id = ev.employee_id OR ap.team = emp.team)
          AND CAST(ap.starts_at AS DATE) = CAST(ev.occurred_at AS DATE))
  OR EXISTS (SELECT 1 FROM cs WHERE cs.case_id = ev.case_id AND cs.subject_bsn = ev.subject_bsn)
  AS explained
FROM ev JOIN emp USING (employee_id)
WHERE CAST(emp.service_account AS VARCHAR) = 'false' AND ev.subject_bsn IS NOT NULL
"""
"""Human events with a subject, and whether a case or appointment explains them (DETECTION 3.1)."""

NOT_LABELLED = """NOT EXISTS (SELECT 1 FROM lab WHERE lab.employee_id = {e}.employee_id
  AND {e}.occurred_at BETWEEN lab.start_at AND lab.end_at
  AND (len(lab.subject_bsns) = 0 OR list_contains(lab.subject_bsns, {e}.subject_bsn)))"""
"""SQL condition: event alias ``{e}`` is legitimate work (not part of a labelled incident)."""


@pytest.fixture(scope="session")
def make_sim(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Town]:
    """Simulate into a fresh folder; memoised per parameter set within the session."""
    made: dict[tuple[object, ...], Town] = {}

    def make(**kwargs: object) -> Town:
        params: dict[str, Any] = {"seed": SEED, **SMALL, **kwargs}
        key = tuple(sorted(params.items()))
        if key not in made:
            out = tmp_path_factory.mktemp("town")
            made[key] = (out, simulate(out, **params))
        return made[key]

    return make


@pytest.fixture(scope="session")
def sim_town(make_sim: Callable[..., Town]) -> Town:
    """The small CSV town most tests read."""
    return make_sim()


@pytest.fixture(scope="session")
def sim_db(sim_town: Town) -> duckdb.DuckDBPyConnection:
    """DuckDB views over the small CSV town."""
    return load(sim_town[0])

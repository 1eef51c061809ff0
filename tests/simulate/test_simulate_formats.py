"""CSV, JSON Lines and Parquet hold the same data set and read back with DuckDB."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from schildwacht.contract import LABELS_FILE
from schildwacht.simulate import simulate
from tests.simulate.conftest import Town, load


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_formats_round_trip_to_the_same_rows(
    make_sim: Callable[..., Town], sim_town: Town, fmt: str
) -> None:
    folder, summary = make_sim(fmt=fmt)
    assert summary.rows == sim_town[1].rows
    assert summary.incidents == sim_town[1].incidents
    csv_db, other_db = load(sim_town[0], "csv"), load(folder, fmt)
    query = (
        "SELECT source_system, event_id, epoch(occurred_at), employee_id, subject_bsn,"
        " CAST(result_count AS BIGINT) FROM ev ORDER BY source_system, event_id"
    )
    assert other_db.execute(query).fetchall() == csv_db.execute(query).fetchall()
    keys = {
        "cit": "bsn, birth_date, confidential",
        "emp": "employee_id, bsn",
        "cs": "case_id, subject_bsn, epoch(opened_at)",
        "lab": "incident_id",
    }
    for table, key in keys.items():
        sql = f"SELECT {key} FROM {table} ORDER BY ALL"
        left = [tuple(str(v).lower() for v in row) for row in csv_db.execute(sql).fetchall()]
        right = [tuple(str(v).lower() for v in row) for row in other_db.execute(sql).fetchall()]
        assert left == right, table
    zeros = other_db.execute("SELECT count(*) FROM cit WHERE bsn LIKE '0%'").fetchone()
    assert zeros is not None and zeros[0] > 0
    lists = other_db.execute(
        "SELECT data_categories FROM ev WHERE data_categories IS NOT NULL LIMIT 1"
    )
    value = lists.fetchone()
    assert value is not None and isinstance(value[0], list)


def test_a_rerun_replaces_earlier_table_files_only(tmp_path: Path) -> None:
    params: dict[str, Any] = {"seed": 1, "employees": 40, "citizens": 1000, "days": 7}
    simulate(tmp_path, fmt="jsonl", **params)
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    simulate(tmp_path, fmt="csv", **params)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert "notes.txt" in left
    assert [n for n in left if n.endswith(".jsonl")] == [LABELS_FILE]
    assert all(n.endswith(".csv") for n in left if n not in ("notes.txt", LABELS_FILE))

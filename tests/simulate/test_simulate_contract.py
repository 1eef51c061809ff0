"""Every contract table is written with the contract's columns and valid values."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from schildwacht.contract import (
    ACTIONS,
    LABELS_FILE,
    OUTCOMES,
    RELATIONS,
    TABLES,
    WATCHLIST_CATEGORIES,
    bsn_is_valid,
)
from schildwacht.simulate import SCENARIOS
from tests.simulate.conftest import Town

SYSTEMS = {"brp", "zaaksysteem", "belastingen", "sociaal-domein", "vergunningen"}
CATEGORIES = {"basis", "adres", "bsn", "financieel", "gezondheid", "jeugd", "strafrechtelijk"}


def _header(path: Path, fmt: str) -> list[str]:
    if fmt == "csv":
        with path.open(newline="", encoding="utf-8") as handle:
            return next(csv.reader(handle))
    if fmt == "jsonl":
        with path.open(encoding="utf-8") as handle:
            return list(json.loads(handle.readline()))
    return pq.read_schema(path).names


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_every_table_has_exactly_the_contract_columns(
    make_sim: Callable[..., Town], fmt: str
) -> None:
    folder, summary = make_sim(fmt=fmt)
    for name, spec in TABLES.items():
        files = sorted(folder.glob(f"{name}*.{fmt}"))
        assert files, f"no {name} file"
        if name != "events":
            assert [f.name for f in files] == [f"{name}.{fmt}"]
        for path in files:
            assert _header(path, fmt) == list(spec.column_names), path.name
        assert summary.rows[name] > 0
    assert (folder / LABELS_FILE).exists()


def test_bsns_are_valid_unique_and_keep_leading_zeros(
    sim_town: Town, sim_db: duckdb.DuckDBPyConnection
) -> None:
    bsns = [r[0] for r in sim_db.execute("SELECT bsn FROM cit").fetchall()]
    assert all(bsn_is_valid(b) for b in bsns)
    assert len(set(bsns)) == len(bsns)
    zeros = [b for b in bsns if b.startswith("0")]
    assert len(zeros) > len(bsns) * 0.03
    text = (sim_town[0] / "citizens.csv").read_text(encoding="utf-8")
    assert f'"{zeros[0]}"' in text  # written as text, leading zero kept
    references = ["ev.subject_bsn", "cs.subject_bsn", "ap.subject_bsn", "rel.bsn",
                  "rel.related_bsn", "wl.bsn", "emp.bsn"]  # fmt: skip
    for table, column in (r.split(".") for r in references):
        unknown = sim_db.execute(
            f"SELECT count(*) FROM {table} WHERE {column} IS NOT NULL"
            f" AND {column} NOT IN (SELECT bsn FROM cit)"
        ).fetchone()
        assert unknown == (0,), f"{table}.{column} refers to a BSN that is not a citizen"


def test_enumerations_and_lists_hold_contract_values(sim_db: duckdb.DuckDBPyConnection) -> None:
    def distinct(sql: str) -> set[str]:
        return {r[0] for r in sim_db.execute(sql).fetchall() if r[0] is not None}

    assert distinct("SELECT DISTINCT action FROM ev") <= set(ACTIONS)
    assert {"view", "search", "update", "create", "print", "export"} <= distinct(
        "SELECT DISTINCT action FROM ev"
    )
    assert distinct("SELECT DISTINCT outcome FROM ev") == set(OUTCOMES)
    assert distinct("SELECT DISTINCT source_system FROM ev") <= SYSTEMS
    assert (
        distinct("SELECT DISTINCT unnest(string_split(data_categories, '|')) FROM ev") <= CATEGORIES
    )
    assert distinct("SELECT DISTINCT relation FROM rel") == set(RELATIONS)
    assert distinct("SELECT DISTINCT category FROM wl") == set(WATCHLIST_CATEGORIES)
    assert distinct("SELECT DISTINCT service_account FROM emp") == {"true", "false"}
    assert distinct("SELECT DISTINCT confidential FROM cit") == {"true", "false"}
    ids = sim_db.execute(
        "SELECT count(*), count(DISTINCT (source_system, event_id)) FROM ev"
    ).fetchone()
    assert ids is not None and ids[0] == ids[1]


def test_timestamps_mix_offsets_and_local_time(sim_town: Town) -> None:
    stamps = []
    for path in sim_town[0].glob("events*.csv"):
        with path.open(newline="", encoding="utf-8") as handle:
            stamps += [row["occurred_at"] for row in csv.DictReader(handle)]
    naive = [s for s in stamps if not (s.endswith("Z") or s[-6] in "+-")]
    utc = [s for s in stamps if s.endswith("Z")]
    assert 0.02 < len(naive) / len(stamps) < 0.3
    assert utc and len(stamps) - len(naive) - len(utc) > len(stamps) / 2


def test_labels_follow_the_contract(sim_town: Town, sim_db: duckdb.DuckDBPyConnection) -> None:
    lines = (sim_town[0] / LABELS_FILE).read_text(encoding="utf-8").splitlines()
    keys = ["incident_id", "scenario", "employee_id", "subject_bsns", "start", "end"]
    for line in lines:
        label = json.loads(line)
        assert list(label) == keys
        assert label["scenario"] in SCENARIOS
        assert label["start"][-6] in "+-" and label["end"][-6] in "+-"
    assert len({json.loads(x)["incident_id"] for x in lines}) == len(lines)
    windows = sim_db.execute("SELECT count(*) FROM lab WHERE start_at > end_at").fetchone()
    assert windows == (0,)

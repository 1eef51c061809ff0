"""CSV quoting, gzip, JSONL, Parquet, time stamps across DST and BSNs with leading zeros."""

from __future__ import annotations

import gzip
import shutil
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from schildwacht.ingest.pipeline import ingest
from schildwacht.store.store import Store
from tests.conftest import EVENT_HEADER, event, quarantined, stored, write_csv, write_jsonl


def test_csv_quoting_commas_quotes_newlines_and_diacritics(tmp_path: Path, store: Store) -> None:
    terms = 'Ä. "Zoë" de Wit-Çelik, Ĳsselmonde\nregel twee'
    rows = [
        event("q1", action="search", search_terms=terms, result_count="2", subject_bsn=""),
        event("q2"),
    ]
    path = write_csv(tmp_path / "events.csv", rows, EVENT_HEADER)
    result = ingest(store, [path])
    assert result.tables["events"].accepted == 2
    got = {r["event_id"]: r for r in stored(store, "events")}
    assert got["q1"]["search_terms"] == terms
    assert got["q1"]["subject_bsn"] is None
    assert got["q1"]["result_count"] == 2


def test_record_after_a_multiline_field_is_located_on_its_physical_line(
    tmp_path: Path, store: Store
) -> None:
    rows = [event("a", search_terms="een\ntwee\ndrie"), event("b", action="kijken")]
    ingest(store, [write_csv(tmp_path / "events.csv", rows, EVENT_HEADER)])
    assert quarantined(store)[0]["locator"] == "line 5"


def test_bsn_leading_zeros_are_kept(tmp_path: Path, store: Store) -> None:
    rows = [event("z", subject_bsn="000000024"), event("y", subject_bsn="012345672")]
    ingest(store, [write_csv(tmp_path / "events.csv", rows, EVENT_HEADER)])
    assert sorted(r["subject_bsn"] for r in stored(store, "events")) == ["000000024", "012345672"]


def test_gzip_csv_and_jsonl(tmp_path: Path, store: Store) -> None:
    plain = write_csv(tmp_path / "x" / "events-a.csv", [event("g1")], EVENT_HEADER)
    (tmp_path / "d").mkdir()
    with plain.open("rb") as src, gzip.open(tmp_path / "d" / "events-a.csv.gz", "wb") as dst:
        shutil.copyfileobj(src, dst)
    rows = [event("g2", data_categories=["basis", "financieel"])]
    jsonl = write_jsonl(tmp_path / "x" / "events-b.jsonl", rows)
    with jsonl.open("rb") as src, gzip.open(tmp_path / "d" / "events-b.jsonl.gz", "wb") as dst:
        shutil.copyfileobj(src, dst)
    result = ingest(store, [tmp_path / "d"])
    assert result.tables["events"].accepted == 2
    cats = {r["event_id"]: r["data_categories"] for r in stored(store, "events")}
    assert cats == {"g1": ["basis", "adres"], "g2": ["basis", "financieel"]}


def test_jsonl_rejects_are_located_by_line(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "events.jsonl"
    write_jsonl(path, [event("j1"), event("j2", subject_bsn="111111111")])
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\n{niet: json}\n[1, 2]\n")
    result = ingest(store, [path])
    counts = result.tables["events"]
    assert (counts.read, counts.accepted, counts.quarantined) == (4, 1, 3)
    where = {r["locator"]: r["reason"] for r in quarantined(store)}
    assert set(where) == {"line 2", "line 4", "line 5"}
    assert "elfproef" in where["line 2"]
    assert where["line 4"] == "line is not a JSON object"


def test_jsonl_numbers_and_booleans_are_accepted_as_their_text(
    tmp_path: Path, store: Store
) -> None:
    rows = [
        {
            "employee_id": 17,
            "surname": "Jansen",
            "department": "HR",
            "service_account": True,
            "employed_from": "2020-01-01",
        }
    ]
    ingest(store, [write_jsonl(tmp_path / "employees.jsonl", rows)])
    [emp] = stored(store, "employees")
    assert (emp["employee_id"], emp["service_account"]) == ("17", True)


def test_parquet_native_types_and_row_group_locator(tmp_path: Path, store: Store) -> None:
    n = 5
    table = pa.table(
        {
            "event_id": [f"p{i}" for i in range(n)],
            "occurred_at": pa.array(
                [datetime(2026, 3, 2, 9, i) for i in range(n)], pa.timestamp("us")
            ),
            "source_system": ["brp"] * n,
            "employee_id": ["e1"] * n,
            "action": ["view", "view", "view", "view", "lezen"],
            "subject_bsn": pa.array([24, 123456782, 123456782, 123456782, 123456782], pa.int64()),
            "data_categories": [["basis"]] * n,
        }
    )
    path = tmp_path / "events.parquet"
    pq.write_table(table, path, row_group_size=2)
    result = ingest(store, [path])
    assert result.tables["events"].accepted == 4
    [bad] = quarantined(store)
    assert bad["locator"] == "row group 2, row 0"
    got = {r["event_id"]: r for r in stored(store, "events")}
    assert got["p0"]["subject_bsn"] == "000000024"
    # a native timestamp without time zone is Amsterdam local time: 09:00 CET = 08:00 UTC
    assert got["p0"]["occurred_at"].strftime("%H:%M") == "08:00"


@pytest.mark.parametrize(
    ("text", "utc"),
    [
        ("2026-03-02T14:05:00+01:00", "2026-03-02 13:05"),
        ("2026-03-02T14:05:00Z", "2026-03-02 14:05"),
        ("2026-03-02T14:05:00", "2026-03-02 13:05"),  # winter time, no offset
        ("2026-07-02T14:05:00", "2026-07-02 12:05"),  # summer time, no offset
        ("2026-03-29T01:59:59", "2026-03-29 00:59"),  # just before the clocks go forward
        ("2026-03-29T03:00:00", "2026-03-29 01:00"),  # just after
        ("2026-03-29T02:30:00", "2026-03-29 01:30"),  # does not exist: read with +01:00
        ("2026-10-25T01:30:00", "2026-10-24 23:30"),  # summer time, before the change
        ("2026-10-25T02:30:00", "2026-10-25 01:30"),  # repeated hour: the later, +01:00
        ("2026-10-25T02:30:00+02:00", "2026-10-25 00:30"),  # repeated hour, explicit
        ("2026-10-25T03:30:00", "2026-10-25 02:30"),
        ("2026-03-02 14:05", "2026-03-02 13:05"),
        ("2026-03-02T14:05:00.123456+0100", "2026-03-02 13:05"),
    ],
)
def test_timestamps_across_dst_with_and_without_offsets(
    tmp_path: Path, store: Store, text: str, utc: str
) -> None:
    ingest(
        store, [write_csv(tmp_path / "events.csv", [event("t", occurred_at=text)], EVENT_HEADER)]
    )
    [row] = stored(store, "events")
    assert row["occurred_at"].strftime("%Y-%m-%d %H:%M") == utc


def test_one_file_may_mix_offsets_and_partition_date_is_local(tmp_path: Path, store: Store) -> None:
    rows = [
        event("a", occurred_at="2026-03-02T23:30:00Z"),  # 00:30 on 3 March in Amsterdam
        event("b", occurred_at="2026-03-02T23:30:00+01:00"),
    ]
    ingest(store, [write_csv(tmp_path / "events.csv", rows, EVENT_HEADER)])
    dates = {r["event_id"]: str(r["date"]) for r in stored(store, "events")}
    assert dates == {"a": "2026-03-03", "b": "2026-03-02"}
    assert all("date=" in p.parent.name for p in store.files("events"))

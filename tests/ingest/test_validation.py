"""Every reason a record can be quarantined, each with the file, line and field it names."""

from __future__ import annotations

from pathlib import Path

import pytest

from schildwacht.ingest.pipeline import ingest
from schildwacht.store.store import Store
from tests.conftest import EVENT_HEADER, event, quarantined, stored, write_csv

BAD_EVENTS = [
    ({"employee_id": ""}, "employee_id: required field is missing"),
    ({"occurred_at": "2026-02-30T10:00:00"}, "occurred_at: not an ISO 8601 timestamp"),
    ({"occurred_at": "gisteren"}, "occurred_at: not an ISO 8601 timestamp"),
    ({"action": "bekijken"}, "action: 'bekijken' is not one of view, search"),
    ({"subject_bsn": "12345678"}, "subject_bsn: invalid BSN, not 9 digits"),
    ({"subject_bsn": "1234567"}, "subject_bsn: invalid BSN, not 9 digits"),
    ({"subject_bsn": "2308572"}, "subject_bsn: invalid BSN, not 9 digits"),
    ({"subject_bsn": "123456789"}, "subject_bsn: invalid BSN, fails the elfproef"),
    ({"subject_bsn": "000000000"}, "subject_bsn: invalid BSN, fails the elfproef"),
    ({"result_count": "veel"}, "result_count: not a non-negative whole number"),
    ({"result_count": "-3"}, "result_count: not a non-negative whole number"),
    ({"outcome": "gelukt"}, "outcome: 'gelukt' is not one of ok, denied, error"),
]


@pytest.mark.parametrize(("override", "reason"), BAD_EVENTS)
def test_each_contract_violation_is_quarantined_with_line_and_field(
    tmp_path: Path, store: Store, override: dict[str, str], reason: str
) -> None:
    rows = [event("ok-1"), event("bad", **override), event("ok-2")]
    path = write_csv(tmp_path / "in" / "events.csv", rows, EVENT_HEADER)
    result = ingest(store, [path])
    counts = result.tables["events"]
    assert (counts.read, counts.accepted, counts.quarantined) == (3, 2, 1)
    [record] = quarantined(store)
    assert record["locator"] == "line 3"
    assert record["source_file"] == str(path)
    assert reason in record["reason"]
    assert '"event_id": "bad"' in record["raw"]
    assert [r["event_id"] for r in stored(store, "events", "event_id")] == ["ok-1", "ok-2"]


def test_a_record_with_several_problems_lists_them_all(tmp_path: Path, store: Store) -> None:
    bad = event("x", occurred_at="nooit", subject_bsn="111111111", action="kijken")
    ingest(store, [write_csv(tmp_path / "events.csv", [bad], EVENT_HEADER)])
    [record] = quarantined(store)
    for part in ("occurred_at:", "subject_bsn:", "action:"):
        assert part in record["reason"]


def test_wrong_number_of_fields_is_quarantined_with_raw_text(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "events.csv"
    write_csv(path, [event("a")], EVENT_HEADER)
    with path.open("a", encoding="utf-8") as handle:
        handle.write("short,2026-03-02T10:00:00Z,brp\n")
        handle.write("long" + ",x" * 20 + "\n")
    result = ingest(store, [path])
    assert result.tables["events"].read == 3
    records = sorted(quarantined(store), key=lambda r: r["locator"])
    assert [r["locator"] for r in records] == ["line 3", "line 4"]
    assert "fewer than the 13" in records[0]["reason"]
    assert "more than the 13" in records[1]["reason"]
    assert records[0]["raw"].startswith("short,")


def test_invalid_utf8_is_quarantined_not_fatal(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "events.csv"
    write_csv(path, [event("a")], EVENT_HEADER)
    with path.open("ab") as handle:
        handle.write(b"b,2026-03-02T10:00:00Z,brp,e1,view,123456782,\xff\xfe,,,,,,\n")
    result = ingest(store, [path])
    counts = result.tables["events"]
    assert (counts.read, counts.accepted, counts.quarantined) == (2, 1, 1)
    assert "UTF-8" in quarantined(store)[0]["reason"]


def test_context_table_violations(tmp_path: Path, store: Store) -> None:
    rows = [
        {"employee_id": "e1", "surname": "Jansen", "department": "Burgerzaken"},
        {"employee_id": "e2", "surname": "", "department": "Belastingen"},
        {
            "employee_id": "e3",
            "surname": "Bakker",
            "department": "Belastingen",
            "employed_until": "31-12-2025",
        },
        {"employee_id": "e4", "surname": "Smit", "department": "HR", "service_account": "ja"},
        {"employee_id": "e5", "surname": "Visser", "department": "HR", "bsn": "123456789"},
    ]
    header = ["employee_id", "surname", "department", "employed_until", "service_account", "bsn"]
    ingest(store, [write_csv(tmp_path / "employees.csv", rows, header)])
    reasons = {r["locator"]: r["reason"] for r in quarantined(store)}
    assert reasons == {
        "line 3": "surname: required field is missing",
        "line 4": "employed_until: not a date (YYYY-MM-DD): '31-12-2025'",
        "line 5": "service_account: not true or false: 'ja'",
        "line 6": "bsn: invalid BSN, fails the elfproef (11-test): '123456789'",
    }
    assert [r["employee_id"] for r in stored(store, "employees")] == ["e1"]


def test_enum_of_relations_and_watchlist(tmp_path: Path, store: Store) -> None:
    write_csv(
        tmp_path / "d" / "relations.csv",
        [
            {"bsn": "123456782", "related_bsn": "999993653", "relation": "ex_partner"},
            {"bsn": "123456782", "related_bsn": "999993653", "relation": "neef"},
        ],
    )
    write_csv(
        tmp_path / "d" / "watchlist.csv",
        [
            {"bsn": "999993653", "category": "politician", "note": "wethouder"},
            {"bsn": "999990627", "category": "bn-er", "note": ""},
        ],
    )
    result = ingest(store, [tmp_path / "d"])
    assert result.tables["relations"].quarantined == 1
    assert result.tables["watchlist"].quarantined == 1
    assert {r["table"] for r in quarantined(store)} == {"relations", "watchlist"}


def test_header_missing_a_required_column_stops_before_writing(
    tmp_path: Path, store: Store
) -> None:
    from schildwacht.errors import UserError

    path = write_csv(tmp_path / "events.csv", [{"event_id": "a", "occurred_at": "2026-01-01"}])
    with pytest.raises(UserError, match="source_system, employee_id, action"):
        ingest(store, [path])
    assert not store.files("events")

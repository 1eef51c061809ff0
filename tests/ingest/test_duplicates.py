"""Events are stored once per (source_system, event_id); context tables replace by key."""

from __future__ import annotations

from pathlib import Path

from schildwacht.ingest.pipeline import ingest
from schildwacht.store.store import Store
from tests.conftest import EVENT_HEADER, event, stored, write_csv


def test_duplicates_within_a_run_and_across_runs(tmp_path: Path, store: Store) -> None:
    first = write_csv(
        tmp_path / "a" / "events.csv",
        [event("1"), event("2"), event("1", client="again")],
        EVENT_HEADER,
    )
    result = ingest(store, [first])
    assert result.as_dict()["events"] == {
        "read": 3,
        "accepted": 2,
        "duplicates": 1,
        "quarantined": 0,
    }
    second = write_csv(
        tmp_path / "b" / "events-2.csv",
        [event("2"), event("3"), event("1", source_system="zaaksysteem")],
        EVENT_HEADER,
    )
    result = ingest(store, [second])
    assert result.as_dict()["events"] == {
        "read": 3,
        "accepted": 2,
        "duplicates": 1,
        "quarantined": 0,
    }
    keys = sorted((r["source_system"], r["event_id"]) for r in stored(store, "events"))
    assert keys == [("brp", "1"), ("brp", "2"), ("brp", "3"), ("zaaksysteem", "1")]
    # the first delivery of an event wins
    assert {r["client"] for r in stored(store, "events") if r["event_id"] == "1"} == {"WS-001"}


def test_reingesting_the_same_folder_stores_nothing_twice(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "set"
    write_csv(folder / "events.csv", [event(str(i)) for i in range(50)], EVENT_HEADER)
    write_csv(
        folder / "employees.csv",
        [{"employee_id": "e00001", "surname": "Jansen", "department": "Burgerzaken"}],
    )
    ingest(store, [folder])
    again = ingest(store, [folder]).as_dict()
    assert again["events"] == {"read": 50, "accepted": 0, "duplicates": 50, "quarantined": 0}
    assert again["employees"]["replaced"] == 1
    assert len(stored(store, "events")) == 50
    assert len(stored(store, "employees")) == 1


def test_context_snapshot_replaces_rows_by_key(tmp_path: Path, store: Store) -> None:
    header = ["employee_id", "surname", "department", "team"]
    ingest(
        store,
        [
            write_csv(
                tmp_path / "1" / "employees.csv",
                [
                    {
                        "employee_id": "a",
                        "surname": "Jansen",
                        "department": "Burgerzaken",
                        "team": "Balie",
                    },
                    {
                        "employee_id": "b",
                        "surname": "Bakker",
                        "department": "Belastingen",
                        "team": "WOZ",
                    },
                ],
                header,
            )
        ],
    )
    result = ingest(
        store,
        [
            write_csv(
                tmp_path / "2" / "employees.csv",
                [
                    {
                        "employee_id": "b",
                        "surname": "Bakker",
                        "department": "Belastingen",
                        "team": "Heffen",
                    },
                    {"employee_id": "c", "surname": "Smit", "department": "HR", "team": "P&O"},
                    {"employee_id": "c", "surname": "Smit", "department": "HR", "team": "Salaris"},
                ],
                header,
            )
        ],
    )
    assert result.as_dict()["employees"] == {
        "read": 3,
        "accepted": 2,
        "duplicates": 1,
        "quarantined": 0,
        "replaced": 1,
    }
    teams = {r["employee_id"]: r["team"] for r in stored(store, "employees")}
    assert teams == {"a": "Balie", "b": "Heffen", "c": "Salaris"}


def test_extra_columns_are_kept_but_ignored(tmp_path: Path, store: Store) -> None:
    rows = [{**event("x"), "werkplek_locatie": "Stadskantoor"}]
    ingest(store, [write_csv(tmp_path / "events.csv", rows, [*EVENT_HEADER, "werkplek_locatie"])])
    [row] = stored(store, "events")
    assert row["_extra"] == '{"werkplek_locatie":"Stadskantoor"}'


def test_rejected_records_are_stored_once_but_counted_every_run(
    tmp_path: Path, store: Store
) -> None:
    from tests.conftest import quarantined

    path = write_csv(tmp_path / "events.csv", [event("bad", action="?")], EVENT_HEADER)
    assert ingest(store, [path]).tables["events"].quarantined == 1
    assert ingest(store, [path]).tables["events"].quarantined == 1
    assert len(quarantined(store)) == 1

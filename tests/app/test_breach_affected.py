"""The people affected by a breach, counted from the evidence events and the BRP facts.

A small stored world: one employee opens, without a work reason, the records of a child who
turns 18 during the period, a person with *geheimhouding*, a public figure (twice), and a
client's social-domain file with health data; a search without a subject is no person.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from schildwacht.app.alerts.models import Alert
from schildwacht.app.breaches.affected import (
    GAP_NO_CITIZENS,
    GAP_NO_EVENTS,
    affected_from_events,
)
from schildwacht.ingest.pipeline import ingest
from schildwacht.store.store import Store
from tests.detect.world import World, ordinary_work


def _world() -> tuple[World, dict[str, str], list[str]]:
    w = World()
    ordinary_work(w, staff_per_team=2, clients=2)
    w.employee("snoop")
    p = {
        # 18 on Sat 7 Feb 2026: a minor when looked up on day 1 (Tue 3 Feb), not on day 9
        "teen": w.citizen("Jong", birth_date="2008-02-07"),
        "hidden": w.citizen("Geheim", confidential="true"),
        "famous": w.citizen("Beroemd"),
        "client": w.citizen("Klant"),
    }
    w.rows["watchlist"].append({"bsn": p["famous"], "category": "public_figure", "note": ""})
    keys = []

    def look(subject: str | None, day: int, **extra: str) -> None:
        w.access("snoop", subject, day, hour=21, **extra)
        keys.append(f"brp:{w.rows['events'][-1]['event_id']}")

    look(p["teen"], 1)
    look(p["hidden"], 2)
    look(p["famous"], 2)
    look(p["famous"], 3)
    look(p["client"], 3, data_categories="basis|gezondheid")
    look(None, 3, action="search", search_terms="Beroemd")
    return w, p, keys


def _alert(keys: list[str], subjects: list[str], alert_id: str = "A-1") -> Alert:
    now = datetime(2026, 3, 1, tzinfo=UTC)
    first, last = datetime(2026, 2, 3, tzinfo=UTC), datetime(2026, 2, 6, tzinfo=UTC)
    return Alert(
        alert_id=alert_id, employee_id="snoop", subject_bsns=tuple(subjects),
        scenarios=("unexplained",), score=80.0, first_seen=first, last_seen=last,
        event_ids=tuple(keys), summary_nl="", summary_en="", reasons=(), scenario_versions={},
        status="afgesloten", created_at=now, updated_at=now, last_detection_run_id=None,
        evidence_hash="",
    )  # fmt: skip


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, dict[str, str], list[str]]:
    w, people, keys = _world()
    folder = tmp_path_factory.mktemp("affected")
    store = Store(folder / "store")
    ingest(store, [w.write(folder / "data")])
    return store, people, keys


def test_people_categories_minors_confidential_and_watchlist_come_from_the_events(
    world: tuple[Store, dict[str, str], list[str]],
) -> None:
    store, p, keys = world
    subjects = [p["teen"], p["hidden"], p["famous"], p["client"]]
    one = _alert(keys[:3], subjects[:3], "A-1")
    two = _alert(keys[2:], subjects[2:], "A-2")  # overlaps A-1 in one event
    summary = affected_from_events(store, [one, two])
    assert summary.people == 4  # the search has no subject
    assert summary.records == 5  # five look-ups of a person, the shared one counted once
    assert summary.alert_ids == ("A-1", "A-2")
    assert summary.data_categories == ("adres", "basis", "gezondheid")
    assert summary.sensitive_data
    assert summary.minors == 1
    assert summary.confidential_addresses == 1
    assert summary.watchlist_categories == ("public_figure",)
    assert summary.gaps == ()
    assert p["teen"] not in str(summary.as_dict())  # counts, never BSNs


def test_a_minor_is_counted_by_age_on_the_day_of_the_look_up(tmp_path: Path) -> None:
    w, p, _ = _world()
    w.access("snoop", p["teen"], 9, hour=10)  # Wed 11 Feb: 18 since Saturday
    store = Store(tmp_path / "store")
    ingest(store, [w.write(tmp_path / "data")])
    grown = _alert([f"brp:{w.rows['events'][-1]['event_id']}"], [p["teen"]])
    grown = replace(grown, last_seen=datetime(2026, 2, 12, tzinfo=UTC))
    assert affected_from_events(store, [grown]).minors == 0


def test_events_missing_from_the_store_are_said_and_not_undercounted(
    world: tuple[Store, dict[str, str], list[str]],
) -> None:
    store, p, keys = world
    gone = _alert([keys[0], "brp:gone-1", "brp:gone-2"], [p["teen"], p["client"]])
    summary = affected_from_events(store, [gone])
    assert GAP_NO_EVENTS in summary.gaps
    assert (summary.people, summary.records) == (2, 3)  # the alert's word, not one event


def test_without_brp_facts_minors_and_confidential_addresses_are_a_named_gap(
    tmp_path: Path,
) -> None:
    w, p, keys = _world()
    w.rows["citizens"], w.rows["watchlist"] = [], []
    store = Store(tmp_path / "store")
    ingest(store, [w.write(tmp_path / "data")])
    summary = affected_from_events(store, [_alert(keys, [p["teen"]])])
    assert GAP_NO_CITIZENS in summary.gaps
    assert (summary.people, summary.minors, summary.confidential_addresses) == (4, 0, 0)

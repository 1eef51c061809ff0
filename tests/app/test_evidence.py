"""The alert page's evidence services, on a small world built with detection's test helpers.

One employee (``snoop``) does ordinary desk work and, besides, opens an ex-partner's record
without reason, once with an appointment that explains it, and a public figure's record just
after midnight. Around the employee live relatives, housemates and neighbours, so every kind
of connection has a case, and a stranger has none.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from schildwacht.app.alerts.models import Alert
from schildwacht.app.evidence import (
    KINDS,
    AlertPageEvidence,
    activity_timeline,
    alert_evidence,
    alert_page_evidence,
    citizen_names,
    employee_profile,
    subject_connections,
    warm_up,
)
from schildwacht.app.evidence.reading import explained_accesses
from schildwacht.config import Settings
from schildwacht.detect.context import load_context
from schildwacht.detect.engine import connect
from schildwacht.detect.runner import detection_params
from schildwacht.ingest.pipeline import ingest
from schildwacht.store.store import Store
from tests.detect.world import AMS, START, World, daily_work, ordinary_work


@dataclass
class Town:
    """The stored world and who is who in it."""

    store: Store
    people: dict[str, str]  # role -> BSN
    events: dict[str, str]  # role -> "brp:evN"


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(START + timedelta(days=day), datetime.min.time(), AMS) + timedelta(
        hours=hour, minutes=minute
    )


def _access(
    w: World, day: int, subject: str | None, hour: int, minute: int = 0, **extra: str
) -> str:
    """An access by ``snoop``; returns its evidence key as alerts write it."""
    w.access("snoop", subject, day, hour=hour, minute=minute, **extra)
    return f"brp:{w.rows['events'][-1]['event_id']}"


def _build_world() -> tuple[World, dict[str, str], dict[str, str]]:
    w = World()
    ordinary_work(w, staff_per_team=2, clients=4)
    p = {
        "home": w.citizen("Visser", postcode="2000BB", house="10"),
        "ex": w.citizen("Bos"),
        "parent": w.citizen("Visser"),
        "sibling": w.citizen("Visser"),
        "housemate": w.citizen("Jansen", postcode="2000BB", house="10"),
        "building": w.citizen(postcode="2000BB", house="10-2"),
        "street": w.citizen(postcode="2000BB", house="14"),
        "colleague": w.citizen("Smit"),
        "famous": w.citizen("Beroemd"),
        "stranger": w.citizen("Vreemd", postcode="9000ZZ", house="1"),
    }
    w.employee(
        "snoop", bsn=p["home"], postcode="2000BB", house_number="10", given_name="Sam",
        surname_prefix="de", surname="Visser", job_title="Baliemedewerker",
    )  # fmt: skip
    w.employee("wmo_colleague", team="Wmo", department="Sociaal Domein", bsn=p["colleague"])
    w.employee("namesake", surname="Bos", postcode="7000GG", house_number="3")  # BSN unknown
    w.rows["relations"] += [
        {"bsn": p["home"], "related_bsn": p["ex"], "relation": "ex_partner"},
        {"bsn": p["parent"], "related_bsn": p["home"], "relation": "child"},
        {"bsn": p["sibling"], "related_bsn": p["parent"], "relation": "parent"},
    ]
    w.rows["watchlist"].append({"bsn": p["famous"], "category": "public_figure", "note": "x"})
    daily_work(w, "snoop")  # one explained desk access every weekday, at 09:30
    w.appointment(p["ex"], "snoop", "Balie", 4)
    e = {
        "ex_night": _access(w, 1, p["ex"], 21),  # Tue 3 Feb: no reason
        "ex_desk": _access(w, 4, p["ex"], 10),  # Fri 6 Feb: the appointment explains it
        "famous": _access(w, 4, p["famous"], 0, minute=30),  # Fri 6 Feb 00:30 local
        "search": _access(w, 4, None, 11, action="search", search_terms="Bos"),
        "ex_later": _access(w, 9, p["ex"], 11),  # Wed 11 Feb: after the alert's span
    }
    # another team of the Wmo team's department opens a Wmo client: only a routine explains it
    p["wmo_client"] = w.rows["cases"][0]["subject_bsn"]
    w.employee("jeugd1", team="Jeugd", department="Sociaal Domein")
    w.access("jeugd1", p["wmo_client"], 2, hour=14)
    e["routine"] = f"brp:{w.rows['events'][-1]['event_id']}"
    return w, p, e


def _stored(w: World, folder: Path) -> Store:
    store = Store(folder / "store")
    ingest(store, [w.write(folder / "data")])
    return store


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory) -> Town:
    w, people, events = _build_world()
    return Town(_stored(w, tmp_path_factory.mktemp("town")), people, events)


@pytest.fixture(scope="module")
def bare_town(tmp_path_factory: pytest.TempPathFactory) -> Town:
    """The same town without the optional relations and watchlist tables."""
    w, people, events = _build_world()
    w.rows["relations"], w.rows["watchlist"] = [], []
    return Town(_stored(w, tmp_path_factory.mktemp("bare")), people, events)


def _alert(
    town: Town, *keys: str, first: datetime, last: datetime, employee: str = "snoop"
) -> Alert:
    now = datetime(2026, 3, 1, tzinfo=UTC)
    return Alert(
        alert_id="A-test", employee_id=employee, subject_bsns=(town.people["ex"],),
        scenarios=("family",), score=80.0, first_seen=first, last_seen=last,
        event_ids=tuple(town.events[k] for k in keys), summary_nl="", summary_en="",
        reasons=(), scenario_versions={}, status="nieuw", created_at=now, updated_at=now,
        last_detection_run_id=None, evidence_hash="",
    )  # fmt: skip


# --- alert_evidence ------------------------------------------------------------------------


def test_evidence_is_newest_first_with_detections_explanation(town: Town) -> None:
    alert = _alert(
        town, "ex_night", "ex_desk", "ex_later", first=_at(1, 21), last=_at(4, 10)
    )  # the span misses ex_later on purpose: evidence outside it must still be found
    found = alert_evidence(town.store, alert)
    assert [e.event_key for e in found] == [
        town.events["ex_later"],
        town.events["ex_desk"],
        town.events["ex_night"],
    ]
    later, desk, night = found
    assert (desk.explained, desk.explanation, desk.has_work_reason) == (True, "afspraak", True)
    assert desk.explanation_en and desk.explanation_nl
    for event in (later, night):
        assert (event.explained, event.explanation, event.has_work_reason) == (False, None, False)
    assert night.occurred_at == _at(1, 21)
    assert night.occurred_at.utcoffset() == timedelta(hours=1)  # Amsterdam winter time
    assert night.source_system == "brp" and night.action == "view"
    assert night.subject_bsn == town.people["ex"]
    assert night.data_categories == ("basis", "adres")


def test_evidence_respects_the_limit(town: Town) -> None:
    alert = _alert(town, "ex_night", "ex_desk", "ex_later", first=_at(1, 0), last=_at(9, 23))
    found = alert_evidence(town.store, alert, limit=2)
    assert [e.event_key for e in found] == [town.events["ex_later"], town.events["ex_desk"]]


def test_evidence_status_matches_a_full_detection_run(town: Town) -> None:
    backend = connect(town.store)
    ctx = load_context(town.store, backend, detection_params(Settings()))
    judged = explained_accesses(ctx)
    rows = judged.filter(judged.employee_id == "snoop").to_pyarrow().to_pylist()
    expected = {r["event_key"]: r["explanation"] for r in rows}
    alert = _alert(town, first=_at(0, 0), last=_at(27, 0))
    alert = Alert(**{**alert.__dict__, "event_ids": tuple(expected)})
    found = alert_evidence(town.store, alert)
    assert {e.event_key: e.explanation for e in found} == expected
    assert any(expected.values()) and None in expected.values()


def test_a_department_routine_is_no_work_reason(town: Town) -> None:
    alert = _alert(town, "routine", first=_at(2, 14), last=_at(2, 14), employee="jeugd1")
    (event,) = alert_evidence(town.store, alert)
    assert (event.explained, event.explanation) == (True, "afdeling_zaaktype")
    assert event.has_work_reason is False  # as the scenarios count it
    timeline = activity_timeline(
        town.store, employee_id="jeugd1", around=_at(2, 9),
        subject_bsns=[town.people["wmo_client"]], days=0,
    )  # fmt: skip
    (day,) = timeline.rows
    assert (day.explained, day.unexplained, day.subject, day.subject_unexplained) == (0, 1, 1, 1)


# --- activity_timeline ---------------------------------------------------------------------


def test_timeline_counts_every_day_around_the_alert(town: Town) -> None:
    timeline = activity_timeline(
        town.store, employee_id="snoop", around=_at(4, 12), subject_bsns=[town.people["ex"]],
        days=3,
    )  # fmt: skip
    assert timeline.alert_day == START + timedelta(days=4)
    assert [r.day for r in timeline.rows] == [START + timedelta(days=d) for d in range(1, 8)]
    table = {
        (r.day - START).days: (
            r.explained, r.unexplained, r.subject, r.subject_unexplained, r.without_subject
        )
        for r in timeline.rows
    }  # fmt: skip
    assert table == {
        1: (1, 1, 1, 1, 0),  # desk work; the ex-partner at night
        2: (1, 0, 0, 0, 0),
        3: (1, 0, 0, 0, 0),  # the 00:30 access of day 4 is 23:30 UTC here: not counted here
        4: (2, 1, 1, 0, 1),  # desk work and the explained ex visit; the public figure; search
        5: (0, 0, 0, 0, 0),  # weekend
        6: (0, 0, 0, 0, 0),
        7: (1, 0, 0, 0, 0),
    }


def test_timeline_without_subjects(town: Town) -> None:
    """A volume alert names nobody: the day's accesses are counted all the same."""
    timeline = activity_timeline(
        town.store, employee_id="snoop", around=_at(4, 12), subject_bsns=[], days=0
    )
    (day,) = timeline.rows
    assert (day.explained, day.unexplained, day.subject, day.without_subject) == (2, 1, 0, 1)


def test_timeline_of_a_quiet_period_has_empty_days(town: Town) -> None:
    timeline = activity_timeline(
        town.store, employee_id="snoop", around=datetime(2027, 1, 1, tzinfo=UTC),
        subject_bsns=[], days=1,
    )  # fmt: skip
    assert len(timeline.rows) == 3
    assert all(r.accesses == 0 and r.without_subject == 0 for r in timeline.rows)


# --- subject_connections -------------------------------------------------------------------


def _kinds(town: Town, employee: str, *roles: str) -> dict[str, list[str]]:
    bsns = [town.people[r] for r in roles]
    found = subject_connections(town.store, employee_id=employee, subject_bsns=bsns)
    role = {bsn: r for r, bsn in town.people.items()}
    out: dict[str, list[str]] = {r: [] for r in roles}
    for connection in found:
        out[role[connection.subject_bsn]].append(connection.kind)
        assert connection.kind in KINDS and connection.text_nl and connection.text_en
    return out


def test_connections_found_for_each_kind_and_none_for_a_stranger(town: Town) -> None:
    roles = ("ex", "parent", "sibling", "housemate", "building", "street", "colleague",
             "famous", "home", "stranger")  # fmt: skip
    assert _kinds(town, "snoop", *roles) == {
        "ex": ["ex_partner"],
        "parent": ["parent"],
        "sibling": ["sibling"],
        "housemate": ["same_address"],
        "building": ["same_building"],
        "street": ["same_postcode"],
        "colleague": ["coworker"],
        "famous": ["watchlist"],
        "home": ["self"],
        "stranger": [],
    }


def test_connection_texts_name_the_tie(town: Town) -> None:
    bsns = [town.people["ex"], town.people["famous"], town.people["colleague"]]
    found = subject_connections(town.store, employee_id="snoop", subject_bsns=bsns)
    assert [c.subject_bsn for c in found] == bsns  # in the order asked
    ex, famous, colleague = found
    assert ex.text_nl == "Ex-partner volgens de BRP"
    assert ex.text_en == "Former partner according to the BRP"
    assert famous.detail == "public_figure" and "bekende Nederlander" in famous.text_nl
    assert colleague.detail == "Sociaal Domein" and "Sociaal Domein" in colleague.text_nl


def test_connections_without_relations_or_watchlist(bare_town: Town) -> None:
    found = _kinds(bare_town, "snoop", "ex", "famous", "housemate", "stranger")
    assert found == {"ex": [], "famous": [], "housemate": ["same_address"], "stranger": []}
    # an employee without a known BSN: only the surname hints at family
    assert _kinds(bare_town, "namesake", "ex", "stranger") == {
        "ex": ["same_surname"],
        "stranger": [],
    }


def test_connections_of_an_unknown_employee_are_empty(town: Town) -> None:
    assert subject_connections(town.store, employee_id="nobody", subject_bsns=["x"]) == []


# --- names and profile ---------------------------------------------------------------------


def test_citizen_names_leave_unknown_bsns_out(town: Town) -> None:
    names = citizen_names(town.store, [town.people["ex"], "999999990"])
    assert names == {town.people["ex"]: "Sam Bos"}


def test_employee_profile(town: Town) -> None:
    profile = employee_profile(town.store, "snoop")
    assert profile is not None
    assert profile.name == "Sam de Visser"
    assert (profile.department, profile.team, profile.job_title) == (
        "Burgerzaken", "Balie", "Baliemedewerker",
    )  # fmt: skip
    assert profile.employed_from == START.replace(year=2020, month=1, day=1)
    assert profile.employed_until is None and profile.service_account is False
    assert employee_profile(town.store, "nobody") is None


def test_an_empty_store_gives_empty_answers(tmp_path: Path) -> None:
    store = Store(tmp_path / "none")
    alert = Alert(
        alert_id="A", employee_id="e", subject_bsns=(), scenarios=(), score=0.0,
        first_seen=_at(0, 0), last_seen=_at(0, 0), event_ids=("brp:1",), summary_nl="",
        summary_en="", reasons=(), scenario_versions={}, status="nieuw",
        created_at=_at(0, 0), updated_at=_at(0, 0), last_detection_run_id=None,
        evidence_hash="",
    )  # fmt: skip
    assert alert_evidence(store, alert) == []
    timeline = activity_timeline(store, employee_id="e", around=_at(0, 0), subject_bsns=[])
    assert len(timeline.rows) == 15 and not any(r.accesses for r in timeline.rows)
    assert subject_connections(store, employee_id="e", subject_bsns=["1"]) == []
    assert citizen_names(store, ["1"]) == {}
    assert employee_profile(store, "e") is None
    assert not store.root.exists()  # reading never creates a store


# --- alert_page_evidence -------------------------------------------------------------------


def _separately(store: Store, alert: Alert, limit: int = 200) -> AlertPageEvidence:
    """What the alert page got from the four separate calls."""
    return AlertPageEvidence(
        evidence=alert_evidence(store, alert, limit=limit),
        timeline=activity_timeline(
            store,
            employee_id=alert.employee_id,
            around=alert.last_seen,
            subject_bsns=alert.subject_bsns,
        ),
        connections=subject_connections(
            store, employee_id=alert.employee_id, subject_bsns=alert.subject_bsns
        ),
        names=citizen_names(store, alert.subject_bsns),
    )


def _with(alert: Alert, **changes: object) -> Alert:
    return Alert(**{**alert.__dict__, **changes})


def test_the_page_gets_what_the_separate_functions_give(town: Town) -> None:
    subjects = tuple(town.people[r] for r in ("ex", "famous", "colleague", "stranger", "home"))
    family = _alert(town, "ex_night", "ex_desk", first=_at(1, 21), last=_at(4, 10))
    alerts = [
        _with(family, subject_bsns=subjects),
        # evidence after the span and after the timeline: found in every partition
        _with(
            _alert(town, "ex_night", "ex_later", first=_at(1, 21), last=_at(1, 21)),
            subject_bsns=subjects,
        ),
        _with(_alert(town, "famous", "search", first=_at(4, 0), last=_at(4, 11)), subject_bsns=()),
        _alert(town, "routine", first=_at(2, 14), last=_at(2, 14), employee="jeugd1"),
        _alert(town, first=_at(0, 0), last=_at(27, 0)),  # no evidence keys
        _alert(
            town,
            "ex_night",
            first=datetime(2027, 1, 1, tzinfo=UTC),
            last=datetime(2027, 1, 2, tzinfo=UTC),
        ),
        _alert(town, "ex_night", first=_at(1, 21), last=_at(1, 21), employee="nobody"),
    ]
    for alert in alerts:
        page = alert_page_evidence(town.store, alert)
        assert page == _separately(town.store, alert), alert
    assert page.timeline.rows and not page.evidence  # the unknown employee
    limited = alert_page_evidence(town.store, family, limit=1)
    assert limited == _separately(town.store, family, limit=1)
    assert [e.event_key for e in limited.evidence] == [town.events["ex_desk"]]


def test_the_page_on_a_town_without_optional_tables(bare_town: Town) -> None:
    roles = ("ex", "famous", "housemate", "stranger")
    alert = _alert(bare_town, "ex_night", "ex_desk", first=_at(1, 21), last=_at(4, 10))
    for employee in ("snoop", "namesake"):
        subjects = tuple(bare_town.people[r] for r in roles)
        changed = _with(alert, employee_id=employee, subject_bsns=subjects)
        assert alert_page_evidence(bare_town.store, changed) == _separately(
            bare_town.store, changed
        )


def test_the_page_shows_what_detection_decided(town: Town) -> None:
    alert = _alert(town, "ex_night", "ex_desk", "famous", first=_at(1, 21), last=_at(4, 10))
    page = alert_page_evidence(town.store, alert)
    assert [(e.event_key, e.explanation) for e in page.evidence] == [
        (town.events["ex_desk"], "afspraak"),
        (town.events["famous"], None),
        (town.events["ex_night"], None),
    ]
    assert page.timeline.alert_day == START + timedelta(days=4)
    assert [c.kind for c in page.connections] == ["ex_partner"]
    assert page.names == {town.people["ex"]: "Sam Bos"}


def test_the_page_of_an_empty_store_reads_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path / "none")
    alert = _alert(Town(store, {"ex": "1"}, {"x": "brp:1"}), "x", first=_at(0, 0), last=_at(0, 0))
    page = alert_page_evidence(store, alert)
    assert (page.evidence, page.connections, page.names) == ([], [], {})
    assert len(page.timeline.rows) == 15 and not any(r.accesses for r in page.timeline.rows)
    warm_up(store)
    assert not store.root.exists()  # reading never creates a store


def test_warm_up_leaves_answers_unchanged(town: Town) -> None:
    warm_up()
    warm_up(town.store, settings=Settings())
    alert = _alert(town, "ex_night", "ex_desk", first=_at(1, 21), last=_at(4, 10))
    assert alert_page_evidence(town.store, alert) == _separately(town.store, alert)


def test_pages_can_be_read_in_parallel(town: Town) -> None:
    """Requests share the process's copy of the context, each on its own connection."""
    alerts = [
        _alert(town, "ex_night", "ex_desk", first=_at(1, 21), last=_at(4, 10)),
        _alert(town, "routine", first=_at(2, 14), last=_at(2, 14), employee="jeugd1"),
        _with(_alert(town, "famous", first=_at(4, 0), last=_at(4, 0)), subject_bsns=()),
    ]
    expected = [alert_page_evidence(town.store, a) for a in alerts]
    with ThreadPoolExecutor(4) as pool:
        found = list(pool.map(lambda a: alert_page_evidence(town.store, a), alerts * 4))
    assert found == expected * 4


def test_a_new_context_snapshot_is_read(tmp_path: Path) -> None:
    """The process keeps a copy of the context tables; a new delivery replaces it."""
    w, people, events = _build_world()
    town = Town(_stored(w, tmp_path), people, events)
    alert = _with(
        _alert(town, "famous", first=_at(4, 0), last=_at(4, 0)), subject_bsns=(people["famous"],)
    )
    assert [c.detail for c in alert_page_evidence(town.store, alert).connections] == [
        "public_figure"
    ]
    update = World()
    update.rows["watchlist"] = [{"bsn": people["famous"], "category": "protected", "note": "y"}]
    ingest(town.store, [update.write(tmp_path / "update")])
    page = alert_page_evidence(town.store, alert)  # ingest adds to the delivered list
    assert [c.detail for c in page.connections] == ["protected", "public_figure"]
    assert page == _separately(town.store, alert)

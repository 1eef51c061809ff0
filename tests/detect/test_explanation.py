"""The explanation stage, kind by kind: which work reason explains an access, and which not.

One small world holds a situation per kind of explanation, each with its own employee,
team, department and citizens, so the situations cannot explain each other. Every access
gets a readable event id; the tests read the ``explanation`` column of the materialised
``sw_accesses`` table per event. Days count from ``START`` (Monday 2 February 2026) and
stay before the switch to summer time on 29 March, so a "day" is always 24 hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from schildwacht.config import Settings
from schildwacht.detect.context import load_context
from schildwacht.detect.engine import connect
from schildwacht.detect.evidence import WEAK, build_evidence
from schildwacht.detect.explanation import EXPLANATIONS
from schildwacht.detect.runner import detection_params
from schildwacht.ingest.pipeline import ingest
from schildwacht.store.store import Store
from tests.detect.world import AMS, START, World

Rows = dict[str, dict[str, Any]]


def at(day: int, hour: int = 0) -> str:
    """Local (Amsterdam) time ``hour``:00 on ``START + day``, as ISO 8601 with offset."""
    return datetime.combine(START + timedelta(days=day), time(hour), AMS).isoformat()


def add_case(
    w: World,
    case_id: str,
    subject: str,
    *,
    assignee: str | None = None,
    team: str | None = None,
    opened: str = at(-30),
    closed: str | None = None,
    case_type: str | None = None,
) -> None:
    """A case; each gets its own type unless told, so no department link arises by chance."""
    w.rows["cases"].append(
        {
            "case_id": case_id,
            "case_type": case_type or f"type-{case_id}",
            "subject_bsn": subject,
            "assignee_employee_id": assignee or "",
            "assignee_team": team or "",
            "opened_at": opened,
            "closed_at": closed or "",
        }
    )


def look(
    w: World, key: str, employee: str, subject: str | None, day: int, hour: int = 10, **extra: Any
) -> None:
    """An access with a readable event id: its event key is ``brp:<key>``."""
    w.access(employee, subject, day, hour=hour, event_id=key, **extra)


def build_world() -> World:
    w = World()
    # zaak_in_log: the log line names a case of this citizen, long closed
    c_log, c_log_other = w.citizen(), w.citizen()
    w.employee("log", team="T-log", department="D-log")
    add_case(w, "Z-log", c_log, assignee="someone", opened=at(-200), closed=at(-100))
    look(w, "log-own-case", "log", c_log, 10, case_id="Z-log")
    look(w, "log-without-case-id", "log", c_log, 10, hour=11)
    look(w, "log-case-of-someone-else", "log", c_log_other, 10, case_id="Z-log")

    # zaak_behandelaar: window [opened 12:00 day 20 - 7 days, closed 12:00 day 22 + 30 days]
    c_beh = w.citizen()
    w.employee("beh", team="T-beh", department="D-beh")
    add_case(w, "Z-beh", c_beh, assignee="beh", opened=at(20, 12), closed=at(22, 12))
    look(w, "beh-before-grace", "beh", c_beh, 13, hour=11)
    look(w, "beh-first-grace-hour", "beh", c_beh, 13, hour=13)
    look(w, "beh-three-days-before", "beh", c_beh, 17, hour=13)
    look(w, "beh-while-open", "beh", c_beh, 21)
    look(w, "beh-last-grace-hour", "beh", c_beh, 52, hour=11)
    look(w, "beh-after-grace", "beh", c_beh, 52, hour=13)

    # afspraak: the employee served the citizen on day 10 (09:00)
    c_afs = w.citizen()
    w.employee("afs", team="T-afs", department="D-afs")
    w.appointment(c_afs, "afs", "T-afs", 10)
    look(w, "afs-day-before", "afs", c_afs, 9)
    look(w, "afs-same-day", "afs", c_afs, 10)
    look(w, "afs-late-next-day", "afs", c_afs, 11, hour=23)
    look(w, "afs-two-days-later-just-after-midnight", "afs", c_afs, 12, hour=0)
    look(w, "afs-three-days-later", "afs", c_afs, 13)

    # zaak_team: the case sits with the employee's team, no handler
    c_zt = w.citizen()
    w.employee("zt", team="T-zt", department="D-zt")
    add_case(w, "Z-team", c_zt, team="T-zt")
    look(w, "zt-team-case", "zt", c_zt, 5)

    # zaak_collega: the case's handler is a teammate (covering)
    c_zc = w.citizen()
    w.employee("zc", team="T-zc", department="D-zc")
    w.employee("zc_handler", team="T-zc", department="D-zc")
    w.employee("zc_outsider", team="T-zc-other", department="D-zc")
    add_case(w, "Z-colleague", c_zc, assignee="zc_handler")
    look(w, "zc-covering", "zc", c_zc, 5)
    look(w, "zc-handler-own", "zc_handler", c_zc, 5)
    look(w, "zc-other-team", "zc_outsider", c_zc, 5)

    # afspraak_team: a teammate (or the team as such) served the citizen on day 10
    c_at, c_at2 = w.citizen(), w.citizen()
    w.employee("at", team="T-at", department="D-at")
    w.employee("at_colleague", team="T-at", department="D-at")
    w.appointment(c_at, "at_colleague", "T-at", 10)
    w.appointment(c_at2, None, "T-at", 10)
    look(w, "at-teammate-appointment", "at", c_at, 10)
    look(w, "at-team-appointment", "at", c_at2, 11)
    look(w, "at-three-days-later", "at", c_at, 13)

    # afdeling_zaaktype: D-link handled exactly 5 cases of a type, D-few only 4 of another
    w.employee("link_handler", team="T-link-a", department="D-link")
    w.employee("link_emp", team="T-link-b", department="D-link")
    w.employee("link_outsider", team="T-link-c", department="D-other")
    linked = [w.citizen() for _ in range(5)]
    for k, person in enumerate(linked):
        add_case(w, f"Z-link-{k}", person, assignee="link_handler", case_type="Leerlingenvervoer")
    look(w, "link-same-department", "link_emp", linked[0], 5)
    look(w, "link-other-department", "link_outsider", linked[0], 5)
    w.employee("few_handler", team="T-few-a", department="D-few")
    w.employee("few_emp", team="T-few-b", department="D-few")
    few = [w.citizen() for _ in range(4)]
    for k, person in enumerate(few):
        add_case(w, f"Z-few-{k}", person, assignee="few_handler", case_type="Bijzondere bijstand")
    look(w, "few-below-threshold", "few_emp", few[0], 5)

    # priority: several reasons at once; the strongest wins
    w.employee("prio", team="T-prio", department="D-prio")
    w.employee("prio_colleague", team="T-prio", department="D-prio")
    cp1, cp2, cp3, cp4 = (w.citizen() for _ in range(4))
    add_case(w, "Z-prio-team", cp1, team="T-prio")
    add_case(w, "Z-prio-own", cp1, assignee="prio")
    look(w, "prio-own-case-beats-team-case", "prio", cp1, 5)
    add_case(w, "Z-prio-team2", cp2, team="T-prio")
    w.appointment(cp2, "prio", "T-prio", 5)
    look(w, "prio-appointment-beats-team-case", "prio", cp2, 5)
    add_case(w, "Z-prio-log", cp3, assignee="prio_colleague", opened=at(-300), closed=at(-200))
    add_case(w, "Z-prio-colleague3", cp3, assignee="prio_colleague")
    w.appointment(cp3, None, "T-prio", 5)
    look(w, "prio-case-in-log-beats-colleague", "prio", cp3, 5, case_id="Z-prio-log")
    add_case(w, "Z-prio-colleague4", cp4, assignee="prio_colleague")
    w.appointment(cp4, None, "T-prio", 5)
    look(w, "prio-colleague-case-beats-team-appointment", "prio", cp4, 5)

    # unexplained: nobody's client, a search without subject, someone else's case
    c_none, c_else = w.citizen(), w.citizen()
    w.employee("none", team="T-none", department="D-none")
    add_case(w, "Z-else", c_else, assignee="beh", team="T-beh")
    look(w, "none-no-reason", "none", c_none, 5)
    look(w, "none-search", "none", None, 5, action="search", search_terms="Jansen")
    look(w, "none-someone-elses-case", "none", c_else, 5)
    return w


@dataclass
class Explained:
    store: Store
    rows: Rows  # event key -> its row of sw_accesses, default settings
    events: int  # how many events the world holds


def explain(store: Store, params: dict[str, Any]) -> Rows:
    """Run the explanation stage as ``engine.compute`` does; rows of ``sw_accesses`` by key."""
    evidence = build_evidence(load_context(store, connect(store), params))
    table = evidence.acc.select("event_key", "explanation", "explained", "has_reason")
    rows = table.to_pyarrow().to_pylist()
    by_key = {r["event_key"]: r for r in rows}
    assert len(by_key) == len(rows), "an event appears more than once in sw_accesses"
    return by_key


@pytest.fixture(scope="module")
def explained(tmp_path_factory: pytest.TempPathFactory) -> Explained:
    world = build_world()
    folder = world.write(tmp_path_factory.mktemp("explanation-world"))
    store = Store(tmp_path_factory.mktemp("explanation-store") / "store")
    ingest(store, [folder])
    rows = explain(store, detection_params(Settings()))
    return Explained(store, rows, len(world.rows["events"]))


def explanation(explained: Explained, key: str) -> str | None:
    return explained.rows[f"brp:{key}"]["explanation"]


def test_every_event_gets_exactly_one_row(explained: Explained) -> None:
    assert len(explained.rows) == explained.events


def test_explained_and_has_reason_follow_the_explanation(explained: Explained) -> None:
    for key, row in explained.rows.items():
        assert row["explanation"] in (None, *EXPLANATIONS.values()), key
        assert row["explained"] is (row["explanation"] is not None), key
        has_reason = row["explanation"] is not None and row["explanation"] != WEAK
        assert row["has_reason"] is has_reason, key


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("log-own-case", "zaak_in_log"),  # closed 100 days before: outside any case window
        ("log-without-case-id", None),
        ("log-case-of-someone-else", None),  # the case does not list this citizen
    ],
)
def test_zaak_in_log(explained: Explained, key: str, expected: str | None) -> None:
    assert explanation(explained, key) == expected


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("beh-before-grace", None),  # an hour before opened - 7 days
        ("beh-first-grace-hour", "zaak_behandelaar"),  # an hour after opened - 7 days
        ("beh-three-days-before", "zaak_behandelaar"),
        ("beh-while-open", "zaak_behandelaar"),
        ("beh-last-grace-hour", "zaak_behandelaar"),  # an hour before closed + 30 days
        ("beh-after-grace", None),  # an hour after closed + 30 days
    ],
)
def test_zaak_behandelaar_within_the_grace_window(
    explained: Explained, key: str, expected: str | None
) -> None:
    assert explanation(explained, key) == expected


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("afs-day-before", "afspraak"),
        ("afs-same-day", "afspraak"),
        ("afs-late-next-day", "afspraak"),
        ("afs-two-days-later-just-after-midnight", None),  # a Dutch day, not a UTC day
        ("afs-three-days-later", None),
    ],
)
def test_afspraak_within_the_appointment_window(
    explained: Explained, key: str, expected: str | None
) -> None:
    assert explanation(explained, key) == expected


def test_zaak_team(explained: Explained) -> None:
    assert explanation(explained, "zt-team-case") == "zaak_team"


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("zc-covering", "zaak_collega"),
        ("zc-handler-own", "zaak_behandelaar"),
        ("zc-other-team", None),  # same department, but not the handler's team
    ],
)
def test_zaak_collega(explained: Explained, key: str, expected: str | None) -> None:
    assert explanation(explained, key) == expected


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("at-teammate-appointment", "afspraak_team"),
        ("at-team-appointment", "afspraak_team"),  # the team's appointment, no employee
        ("at-three-days-later", None),
    ],
)
def test_afspraak_team(explained: Explained, key: str, expected: str | None) -> None:
    assert explanation(explained, key) == expected


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("link-same-department", "afdeling_zaaktype"),  # 5 cases of the type: a link
        ("link-other-department", None),
        ("few-below-threshold", None),  # 4 cases of the type: no link
    ],
)
def test_afdeling_zaaktype(explained: Explained, key: str, expected: str | None) -> None:
    assert explanation(explained, key) == expected


def test_afdeling_zaaktype_explains_but_is_no_personal_reason(explained: Explained) -> None:
    row = explained.rows["brp:link-same-department"]
    assert row["explained"] is True
    assert row["has_reason"] is False


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("prio-own-case-beats-team-case", "zaak_behandelaar"),
        ("prio-appointment-beats-team-case", "afspraak"),
        ("prio-case-in-log-beats-colleague", "zaak_in_log"),
        ("prio-colleague-case-beats-team-appointment", "zaak_collega"),
    ],
)
def test_the_strongest_explanation_wins(
    explained: Explained, key: str, expected: str | None
) -> None:
    assert explanation(explained, key) == expected


@pytest.mark.parametrize("key", ["none-no-reason", "none-search", "none-someone-elses-case"])
def test_unexplained(explained: Explained, key: str) -> None:
    row = explained.rows[f"brp:{key}"]
    assert row["explanation"] is None
    assert row["explained"] is False
    assert row["has_reason"] is False


@pytest.mark.parametrize(
    ("before_days", "expected"),
    [
        (
            3,
            {
                "beh-before-grace": None,
                "beh-first-grace-hour": None,
                "beh-three-days-before": "zaak_behandelaar",
            },
        ),
        (
            8,
            {
                "beh-before-grace": "zaak_behandelaar",
                "beh-first-grace-hour": "zaak_behandelaar",
                "beh-three-days-before": "zaak_behandelaar",
            },
        ),
    ],
)
def test_the_grace_setting_moves_the_window(
    explained: Explained, before_days: int, expected: dict[str, str | None]
) -> None:
    params = detection_params(Settings())
    params["explanation.case_grace_before_days"] = before_days
    rows = explain(explained.store, params)
    assert {k: rows[f"brp:{k}"]["explanation"] for k in expected} == expected
    assert rows["brp:beh-after-grace"]["explanation"] is None  # the other edge did not move


def test_optional_tables_may_be_missing(tmp_path: Path) -> None:
    """Only events and employees are required; absent tables explain nothing."""
    w = World()
    w.employee("only")
    person = w.citizen()
    w.access("only", person, 3)  # ev0
    store = Store(tmp_path / "store")
    ingest(store, [w.write(tmp_path / "world")])  # no cases, appointments, relations, watchlist
    rows = explain(store, detection_params(Settings()))
    assert rows["brp:ev0"]["explanation"] is None

"""The management report: exact counts on a small known database and a small real store.

Every boundary is a Dutch day: an alert at 00:30 on 1 March, Amsterdam time, is still
28 February in UTC and belongs to March; one at 00:30 on 1 April (summer time) is still
31 March in UTC and belongs to April. The 72-hour deadline is counted in elapsed hours, so a
notification on the Monday after the March clock change at 12:30 is in time.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import Session, sessionmaker

from schildwacht.app.accountability.explained import explained_share
from schildwacht.app.accountability.management import management_report, percentile
from schildwacht.app.accountability.period import (
    Period,
    PeriodKind,
    parse_period,
    previous_month,
    recent_periods,
)
from schildwacht.app.alerts.service import upsert_alerts
from schildwacht.app.breaches import service as breaches
from schildwacht.app.breaches.severity import assess
from schildwacht.app.detection_runs.service import start_run
from schildwacht.app.triage import service as triage
from schildwacht.config import TriageSettings, load_settings
from schildwacht.detect.runner import detection_params
from schildwacht.detect.stats import explain_stats
from schildwacht.errors import PermissionDenied, UserError
from schildwacht.ingest.pipeline import ingest
from schildwacht.store.store import Store
from schildwacht.web.views.management_report import report_html
from tests.app.breach_factories import Team, make_team
from tests.app.conftest import candidate
from tests.app.factories import fresh_database
from tests.detect.world import World

AMS = ZoneInfo("Europe/Amsterdam")
RULES = TriageSettings()
MARCH = Period(2026, PeriodKind.month, 3)
NOW = datetime(2026, 4, 2, 12, 0, tzinfo=AMS)  # the moment the report is made
BSN = "123456782"  # the subject of every test alert: must never reach the report
LOW = assess(context="simple", identification="maximum", confidentiality="known")
HIGH = assess(context="financial", identification="maximum", confidentiality="known")


def ams(month: int, day: int, hour: int = 10, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=AMS)


@pytest.fixture
def sessions() -> sessionmaker[Session]:
    return fresh_database()


@pytest.fixture
def team(session: Session) -> Team:
    return make_team(session)


# --- Periods -----------------------------------------------------------------------------------


def test_months_and_quarters_are_parsed() -> None:
    assert parse_period("2026-03") == MARCH
    assert (
        parse_period(" 2026-q1 ") == parse_period("2026-K1") == Period(2026, PeriodKind.quarter, 1)
    )
    assert [parse_period(p).code for p in ("2026-3", "2026-12", "2026-Q4")] == [
        "2026-03", "2026-12", "2026-Q4",
    ]  # fmt: skip
    quarter = parse_period("2026-Q1")
    assert (quarter.first_day, quarter.last_day) == (date(2026, 1, 1), date(2026, 3, 31))
    assert (quarter.label, MARCH.label) == ("1e kwartaal 2026", "maart 2026")
    assert parse_period("2026-Q4").next() == Period(2027, PeriodKind.quarter, 1)
    assert parse_period("2026-01").previous() == Period(2025, PeriodKind.month, 12)
    assert previous_month(date(2026, 1, 15)).code == "2025-12"
    assert previous_month(date(2026, 3, 31)).code == "2026-02"
    assert recent_periods(date(2026, 5, 3), months=2, quarters=2) == [
        parse_period(p) for p in ("2026-05", "2026-04", "2026-Q2", "2026-Q1")
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-13", "maand 13 bestaat niet"),
        ("2026-00", "maand 0 bestaat niet"),
        ("2026-Q5", "kwartaal 5 bestaat niet"),
        ("2026-Q0", "kwartaal 0 bestaat niet"),
        ("maart", "geen periode"),
        ("2026-03-01", "geen periode"),
        ("", "geen periode"),
        ("0999-01", "jaar 999"),
    ],
)
def test_a_bad_period_says_what_to_type(text: str, message: str) -> None:
    with pytest.raises(UserError, match=message) as caught:
        parse_period(text)
    if "geen periode" in message:
        assert "2026-03" in str(caught.value) and "2026-Q1" in str(caught.value)


def test_periods_are_dutch_days_across_daylight_saving() -> None:
    assert MARCH.end - MARCH.start == timedelta(hours=743)  # clocks go forward on 29 March
    october = parse_period("2026-10")
    assert october.end - october.start == timedelta(hours=745)
    assert MARCH.contains(ams(3, 1, 0, 30))  # 28 February 23:30 UTC
    assert MARCH.contains(ams(3, 31, 23, 30))
    assert not MARCH.contains(ams(4, 1, 0, 30))  # 31 March 22:30 UTC
    assert not MARCH.contains(ams(2, 28, 23, 30))
    with pytest.raises(ValueError, match="naive"):
        MARCH.contains(datetime(2026, 3, 10))


def test_percentile_interpolates_between_ranks() -> None:
    assert percentile([], 0.9) is None
    assert percentile([7.0], 0.9) == 7.0
    assert percentile([10.0, 2.0, 4.0], 0.9) == pytest.approx(8.8)
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == pytest.approx(2.5)


# --- A known database --------------------------------------------------------------------------


def _store(
    session: Session, now: datetime, departments: dict[str, str | None], *alerts: Any
) -> None:
    """Store alert candidates the way detection does, with their employees' departments."""
    run_id = start_run(session, started_at=now)
    upsert_alerts(session, candidates=list(alerts), run_id=run_id, now=now,
                  departments=departments)  # fmt: skip


def _alert(alert_id: str, employee: str, first_seen: datetime, *scenarios: str,
           score: float = 72.5) -> Any:  # fmt: skip
    return candidate(
        alert_id, employee_id=employee, first_seen=first_seen, last_seen=first_seen,
        scenarios=scenarios, scenario_versions={s: "1.0.0" for s in scenarios}, score=score,
    )  # fmt: skip


DEPARTMENTS = {"e-bz": "Burgerzaken", "e-bel": "Belastingen", "e-hr": "HR", "e-x": None}
CREATED_1 = ams(4, 1, 8)
CREATED_2 = ams(4, 1, 13)


def _alerts_and_triage(session: Session, team: Team) -> None:
    _store(
        session, CREATED_1, DEPARTMENTS,
        _alert("m1", "e-bz", ams(3, 1, 0, 30), "family", "neighbour"),  # 28 Feb in UTC
        _alert("m3", "e-x", ams(3, 31, 23, 30), "unexplained_access"),
        _alert("m4", "e-bel", ams(3, 15), "unexplained_access"),
        _alert("f1", "e-bz", ams(2, 28, 23, 30), "family"),  # February
        _alert("p1", "e-hr", ams(4, 1, 0, 30), "bulk"),  # April, though 31 March in UTC
    )  # fmt: skip
    _store(session, CREATED_2, DEPARTMENTS, _alert("m2", "e-bz", ams(3, 10), "family"))
    hours = timedelta(hours=1)
    triage.start_investigation(session, alert_id="m1", user=team.analist, now=CREATED_1 + 2 * hours)
    triage.add_comment(session, alert_id="m2", user=team.analist, text="Bekeken.",
                       now=CREATED_2 + 10 * hours)  # fmt: skip
    triage.start_investigation(
        session, alert_id="m2", user=team.analist, now=CREATED_2 + 30 * hours
    )
    triage.assign(
        session, alert_id="m3", user=team.analist, assignee="ana", now=CREATED_1 + 4 * hours
    )
    triage.start_investigation(session, alert_id="f1", user=team.analist, now=CREATED_1 + hours)
    triage.start_investigation(session, alert_id="p1", user=team.analist, now=CREATED_1 + hours / 2)


def _decisions(session: Session, team: Team) -> None:
    alerts = [_alert(f"r{n}", "e-bz", ams(2, 10), "family") for n in range(1, 7)]
    alerts[2] = _alert("r3", "e-bz", ams(2, 10), "family", score=40.0)
    _store(session, ams(2, 20), DEPARTMENTS, *alerts)

    def close(alert_id: str, proposed: datetime, confirmed: datetime | None,
              resolution: str = "misbruik_bevestigd") -> None:  # fmt: skip
        decision = triage.propose_close(
            session, alert_id=alert_id, user=team.po1, resolution=resolution,
            note="Geen werkreden.", rules=RULES, now=proposed,
        )  # fmt: skip
        if confirmed is not None:
            triage.confirm_decision(session, decision_id=decision.decision_id, user=team.po2,
                                    now=confirmed)  # fmt: skip

    close("r1", ams(3, 30), ams(4, 1, 0, 30))  # takes effect in April
    close("r2", ams(3, 5), ams(3, 6))
    close("r3", ams(3, 20), None, resolution="legitiem_overig")  # no four-eyes: in force
    close("r4", ams(3, 7), None)  # still waits for the second officer
    close("r5", ams(3, 8), ams(3, 8, 12))
    triage.reopen(session, alert_id="r5", user=team.po1, note="Nieuwe feiten.", now=ams(3, 9))
    close("r6", ams(2, 27), ams(3, 1, 0, 30))  # confirmed on 1 March, 28 February in UTC


def _breach(session: Session, team: Team, aware: datetime, **acts: Any) -> int:
    breach = breaches.open_by_hand(
        session, origin="manager", title="Melding leidinggevende", user=team.po1,
        aware_at=aware, note="Leidinggevende meldt raadpleging zonder werkreden.",
        now=aware + timedelta(minutes=5),
    )  # fmt: skip
    bid = breach.breach_id
    later = aware + timedelta(minutes=10)
    if "severity" in acts:
        breaches.record_severity(
            session, breach_id=bid, user=team.po1, assessment=acts["severity"],
            reason="Beoordeeld.", now=later,
        )  # fmt: skip
    if "notified" in acts:
        breaches.mark_notified(
            session, breach_id=bid, user=team.po1, notified_at=acts["notified"],
            delay_reason=acts.get("delay"), now=acts["notified"],
        )  # fmt: skip
    if acts.get("declined"):
        no = breaches.decide(
            session, breach_id=bid, user=team.po1, kind="notify_ap", value=False,
            reason="Geen risico: direct gemeld en gesloten.", now=later,
        )  # fmt: skip
        breaches.confirm_decision(
            session, breach_id=bid, decision_id=no.decision_id, user=team.fg,
            now=later + timedelta(hours=1),
        )  # fmt: skip
    return bid


def _breaches(session: Session, team: Team) -> None:
    _breach(session, team, ams(3, 2), severity=LOW, notified=ams(3, 2) + timedelta(hours=72))
    # Friday before the clock change: the deadline is Monday 13:00 on the wall clock
    _breach(session, team, ams(3, 27, 12), notified=ams(3, 30, 12, 30))
    _breach(session, team, ams(3, 10, 9), severity=HIGH, notified=ams(3, 14, 9),
            delay="Onderzoek liep uit.")  # fmt: skip
    _breach(session, team, ams(3, 31, 23, 30), declined=True)
    _breach(session, team, ams(3, 20, 9))  # still open: overdue at NOW
    _breach(session, team, ams(3, 31, 12))  # still open: deadline 3 April 12:00
    _breach(session, team, ams(4, 1, 0, 30), notified=ams(4, 1, 9))  # April
    _breach(session, team, ams(2, 28, 23, 30), notified=ams(3, 1, 9))  # February


@pytest.fixture
def known(session: Session, team: Team) -> Team:
    _alerts_and_triage(session, team)
    _decisions(session, team)
    _breaches(session, team)
    return team


def _counts(rows: Any) -> dict[str, int]:
    return {c.label: c.count for c in rows}


def test_alerts_are_counted_by_first_suspicious_access(session: Session, known: Team) -> None:
    report = management_report(session, period=MARCH, user=known.fg, store=None, params={},
                               now=NOW)  # fmt: skip
    alerts = report.alerts
    assert alerts.total == 4  # m1-m4: not f1 (February), not p1 (April), not r1-r6
    assert _counts(alerts.by_scenario) == {
        "Raadpleging zonder werkreden": 2, "Familie of huisgenoot": 2, "Buren": 1,
    }  # fmt: skip
    assert [c.key for c in alerts.by_scenario] == ["family", "unexplained_access", "neighbour"]
    assert [(c.label, c.count) for c in alerts.by_department] == [
        ("Burgerzaken", 2), ("(onbekend)", 1), ("Belastingen", 1),
    ]  # fmt: skip
    assert _counts(alerts.by_status) == {"in onderzoek": 2, "nieuw": 2}  # m3 only assigned


def test_time_to_triage_runs_from_detection_to_the_first_act(session: Session, known: Team) -> None:
    triage_times = management_report(session, period=MARCH, user=known.fg, store=None,
                                     params={}, now=NOW).triage  # fmt: skip
    # m1 2 h, m2 10 h (the comment, not the later start), m3 4 h (assigned); m4 untouched
    assert (triage_times.alerts, triage_times.triaged, triage_times.untouched) == (4, 3, 1)
    assert triage_times.median_hours == pytest.approx(4.0)
    assert triage_times.p90_hours == pytest.approx(8.8)
    april = management_report(session, period=parse_period("2026-04"), user=known.fg,
                              store=None, params={}, now=NOW).triage  # fmt: skip
    assert (april.alerts, april.triaged, april.median_hours) == (1, 1, pytest.approx(0.5))


def test_resolutions_count_when_the_decision_took_effect(session: Session, known: Team) -> None:
    resolutions = management_report(session, period=MARCH, user=known.fg, store=None,
                                     params={}, now=NOW).resolutions  # fmt: skip
    # r2 and r6 (confirmed on 1 March at 00:30); not r1 (April), r4 (pending), r5 (reopened)
    assert resolutions.confirmed_misuse == 2
    assert resolutions.total == 3
    assert _counts(resolutions.by_resolution) == {"misbruik bevestigd": 2, "legitiem - overig": 1}
    april = management_report(session, period=parse_period("2026-04"), user=known.fg,
                              store=None, params={}, now=NOW).resolutions  # fmt: skip
    assert (april.confirmed_misuse, april.total) == (1, 1)


def test_breaches_by_awareness_and_the_72_hour_deadline(session: Session, known: Team) -> None:
    figures = management_report(session, period=MARCH, user=known.po1, store=None, params={},
                                now=NOW).breaches  # fmt: skip
    assert figures.opened == 6  # not the April and February ones
    assert [(c.label, c.count) for c in figures.by_band] == [
        ("laag", 1), ("hoog", 1), ("nog niet beoordeeld", 4),
    ]  # fmt: skip
    assert (figures.notified, figures.in_time, figures.late) == (3, 2, 1)
    assert (figures.not_notified, figures.to_notify, figures.overdue) == (1, 2, 1)
    assert figures.closed_otherwise == 0
    later = management_report(session, period=MARCH, user=known.po1, store=None, params={},
                              now=ams(4, 3, 12, 1)).breaches  # fmt: skip
    assert (later.to_notify, later.overdue) == (2, 2)  # the second deadline passed too
    quarter = management_report(session, period=parse_period("2026-Q1"), user=known.po1,
                                store=None, params={}, now=NOW).breaches  # fmt: skip
    assert (quarter.opened, quarter.notified, quarter.in_time) == (7, 4, 3)


def test_only_roles_that_may_read_breaches_make_the_report(session: Session, known: Team) -> None:
    with pytest.raises(PermissionDenied):
        management_report(session, period=MARCH, user=known.analist, store=None, params={})


def test_the_report_names_nobody(session: Session, known: Team) -> None:
    report = management_report(session, period=MARCH, user=known.fg, store=None, params={},
                               now=NOW)  # fmt: skip
    html = report_html(report)
    assert "Managementrapportage maart 2026" in html and "Datalekken en meldingen aan de AP" in html
    for text in (repr(report), html):
        assert BSN not in text and "MW-" not in text
        for employee in DEPARTMENTS:
            assert employee not in text
        for user in ("piet", "paula", "fenna", "Piet", "Paula", "Fenna"):
            assert user not in text
    assert report.explained.share is None and report.explained.missing


# --- The explained share from a real store -----------------------------------------------------


@pytest.fixture(scope="module")
def world_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """Two employees, one case: the Wmo consultant's accesses to her client are explained,
    the desk clerk's accesses to a stranger are not; around the month boundaries."""
    w = World()
    client, stranger = w.citizen(), w.citizen()
    w.employee("wmo0", "Wmo", "Sociaal Domein")
    w.employee("balie0", "Balie", "Burgerzaken")
    w.case("Z-1", client, "wmo0", "Wmo")
    day = {(2, 5): 3, (2, 28): 26, (3, 1): 27, (3, 10): 36, (3, 31): 57, (4, 1): 58}
    w.access("wmo0", client, day[2, 5])
    w.access("balie0", stranger, day[2, 5])
    w.access("balie0", stranger, day[2, 5], hour=11)
    w.access("balie0", stranger, day[2, 28], hour=23, minute=30)  # February
    w.access("wmo0", client, day[3, 1], hour=0, minute=30)  # March (28 February in UTC)
    w.access("wmo0", client, day[3, 10])
    w.access("wmo0", client, day[3, 10], hour=11)
    w.access("balie0", stranger, day[3, 10])
    w.access("balie0", None, day[3, 10], action="search")  # no citizen: not an access to one
    w.access("balie0", stranger, day[3, 31], hour=23, minute=30)  # March (summer time)
    w.access("wmo0", client, day[4, 1], hour=0, minute=30)  # April (31 March in UTC)
    root = tmp_path_factory.mktemp("management")
    store = Store(root / "store")
    store.ensure()
    ingest(store, [w.write(root / "world")])
    return store


def test_the_explained_share_is_restricted_to_the_period(world_store: Store) -> None:
    params = detection_params(load_settings(world_store.root))
    march = explained_share(world_store, MARCH, params)
    assert (march.accesses, march.explained, march.share) == (5, 3, pytest.approx(0.6))
    assert [(d.department, d.accesses, d.explained) for d in march.by_department] == [
        ("Sociaal Domein", 3, 3), ("Burgerzaken", 2, 0),
    ]  # fmt: skip
    february = explained_share(world_store, parse_period("2026-02"), params)
    assert (february.accesses, february.explained) == (4, 1)
    april = explained_share(world_store, parse_period("2026-04"), params)
    assert (april.accesses, april.explained) == (1, 1)
    whole = explain_stats(world_store, params)  # the CLI's figure over every period
    assert whole.total == march.accesses + february.accesses + april.accesses
    assert parse_period("2026-Q1").first_day == date(2026, 1, 1)
    quarter = explained_share(world_store, parse_period("2026-Q1"), params)
    assert quarter.accesses == march.accesses + february.accesses


def test_no_events_means_unknown_not_zero(world_store: Store, tmp_path: Path) -> None:
    params = detection_params(load_settings(world_store.root))
    for share in (
        explained_share(world_store, parse_period("2025-12"), params),
        explained_share(None, MARCH, params),
        explained_share(Store(tmp_path / "nothing"), MARCH, params),
    ):
        assert share.share is None and share.accesses == 0 and share.missing

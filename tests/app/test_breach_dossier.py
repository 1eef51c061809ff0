"""The breach dossier: opening, assessment, decisions, notification and the clock.

The rules come from issue 5 and ``BREACH.md`` §6-8: notifying the AP is the default, not
notifying needs a finding and a second officer acting as FG, a high risk means informing the
people unless Art. 34(3) applies, a UAVG art. 41 postponement needs a review date, and a late
notification needs a reason. Every act must reach the timeline and the audit trail.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import Session, sessionmaker

from schildwacht.app.breaches.affected import GAP_BY_HAND, severity_defaults
from schildwacht.app.breaches.deadline import WarningLevel
from schildwacht.app.breaches.models import (
    Breach,
    BreachStatus,
    DecisionKind,
    DecisionState,
    outstanding,
)
from schildwacht.app.breaches.service import (
    clock,
    confirm_decision,
    decide,
    get_breach,
    list_breaches,
    mark_notified,
    open_by_hand,
    open_from_dossier,
    record_severity,
)
from schildwacht.app.breaches.severity import Motive, assess
from schildwacht.app.dossiers.service import create_dossier
from schildwacht.errors import Conflict, NotFound, PermissionDenied, UserError
from tests.app.breach_factories import Team, close_alert, dossier_with, make_team, reason
from tests.app.conftest import T0, candidate
from tests.app.factories import (
    assert_audit_intact,
    audit_actions,
    audit_entries,
    fresh_database,
    make_alerts,
)

AMS = ZoneInfo("Europe/Amsterdam")
AWARE = T0 + timedelta(hours=2)  # Monday 2 March 2026, 12:15 in Amsterdam
NOW = AWARE + timedelta(hours=1)
LATER = AWARE + timedelta(hours=24)
LOW = assess(context="simple", identification="maximum", confidentiality="known")  # 1.25
HIGH = assess(context="financial", identification="maximum", confidentiality="known")  # 3.25


@pytest.fixture
def sessions() -> sessionmaker[Session]:
    """A fresh migrated in-memory database (overrides the file-based one of conftest.py)."""
    return fresh_database()


@pytest.fixture
def team(session: Session) -> Team:
    return make_team(session)


def _by_hand(session: Session, team: Team, **kw: object) -> Breach:
    args: dict[str, object] = {
        "origin": "manager", "title": "Melding leidinggevende", "user": team.po1,
        "aware_at": AWARE, "note": "Leidinggevende bevestigt: geen werkreden.", "now": NOW,
    }  # fmt: skip
    return open_by_hand(session, **(args | kw))


# --- Opening -----------------------------------------------------------------------------------


def test_opening_from_a_dossier_requires_confirmed_misuse(session: Session, team: Team) -> None:
    pending = dossier_with(session, team, confirm=False)
    with pytest.raises(UserError, match="geen melding afgesloten als bevestigd misbruik"):
        open_from_dossier(session, dossier_id=pending, user=team.po1, aware_at=AWARE,
                          note="x", now=NOW)  # fmt: skip
    make_alerts(session, candidate("a-2", employee_id="e00009"))
    close_alert(session, team, "a-2", resolution="legitiem_overig")
    legit = create_dossier(session, user=team.po1, title="Legitiem", alert_ids=["a-2"], now=NOW)
    with pytest.raises(UserError):
        open_from_dossier(session, dossier_id=legit.dossier_id, user=team.po1,
                          aware_at=AWARE, note="x", now=NOW)  # fmt: skip
    with pytest.raises(NotFound):
        open_from_dossier(session, dossier_id=999, user=team.po1, aware_at=AWARE, note="x")


def test_a_confirmed_dossier_opens_once_and_counts_the_people(session: Session, team: Team) -> None:
    dossier_id = dossier_with(session, team, subjects=("123456782", "111222333"))
    with pytest.raises(PermissionDenied):
        open_from_dossier(session, dossier_id=dossier_id, user=team.analist, aware_at=AWARE,
                          note="x", now=NOW)  # fmt: skip
    breach = open_from_dossier(
        session, dossier_id=dossier_id, user=team.po1, aware_at=AWARE, now=NOW,
        note="Tweede privacy officer bevestigde het misbruik.",
    )  # fmt: skip
    assert (breach.origin, breach.dossier_id) == ("dossier", dossier_id)
    assert breach.employee_id == "e00001"
    assert (breach.status, breach.created_by, breach.title) == (
        "open", "piet", "Raadplegingen zonder werkreden",
    )  # fmt: skip
    assert breach.affected["people"] == 2 and breach.affected["records"] == 4
    assert breach.affected["alert_ids"] == ["a-1"]
    assert "123456782" not in str(breach.affected)  # counted, not copied
    with pytest.raises(Conflict, match="heeft al datalek"):
        open_from_dossier(session, dossier_id=dossier_id, user=team.po1, aware_at=AWARE,
                          note="x", now=NOW)  # fmt: skip


def test_opening_by_hand(session: Session, team: Team) -> None:
    breach = _by_hand(session, team, origin="tip_citizen", employee_id=" e00042 ")
    assert (breach.origin, breach.dossier_id, breach.employee_id) == ("tip_citizen", None, "e00042")
    assert breach.affected["people"] == 0 and breach.affected["gaps"] == [GAP_BY_HAND]
    with pytest.raises(UserError, match="vanuit dat dossier"):
        _by_hand(session, team, origin="dossier")
    with pytest.raises(UserError, match="onbekende herkomst"):
        _by_hand(session, team, origin="krant")
    with pytest.raises(UserError, match="titel"):
        _by_hand(session, team, title="  ")
    with pytest.raises(UserError, match="kennisname berust"):
        _by_hand(session, team, note="")
    assert [b.breach_id for b in list_breaches(session, user=team.po1)] == [breach.breach_id]


def test_awareness_time_is_kept_timezone_aware(
    sessions: sessionmaker[Session], session: Session, team: Team
) -> None:
    local = datetime(2026, 3, 27, 17, 0, tzinfo=AMS)  # Friday before the switch to summer time
    breach = _by_hand(session, team, aware_at=local, now=local + timedelta(hours=1))
    session.commit()
    with sessions() as fresh:
        stored = get_breach(fresh, breach_id=breach.breach_id, user=team.po1)
        assert stored.aware_at == local and stored.aware_at.tzinfo is UTC
        status = clock(fresh, breach_id=breach.breach_id, now=local + timedelta(hours=1))
        assert status.deadline == datetime(2026, 3, 30, 18, 0, tzinfo=AMS)  # 73 on the wall
        assert status.deadline.tzinfo == AMS
    with pytest.raises(ValueError, match="naive"):
        _by_hand(session, team, aware_at=datetime(2026, 3, 2, 12, 0))
    with pytest.raises(UserError, match="toekomst"):
        _by_hand(session, team, aware_at=NOW + timedelta(minutes=1))


# --- Decisions ---------------------------------------------------------------------------------


def test_not_notifying_needs_a_finding_and_an_fg_confirmation(session: Session, team: Team) -> None:
    breach = _by_hand(session, team)
    bid = breach.breach_id
    assert breach.notify_ap  # the default
    with pytest.raises(UserError, match="toelichting"):
        decide(session, breach_id=bid, user=team.po1, kind="notify_ap", value=False, reason=" ")
    no = decide(session, breach_id=bid, user=team.po1, kind="notify_ap", value=False, now=NOW,
                reason="Bevinding: opent per ongeluk, direct gesloten; geen risico.")  # fmt: skip
    assert no.state == DecisionState.pending_fg and no.confirmed_by is None
    pending = get_breach(session, breach_id=bid, user=team.po1)
    assert pending.notify_ap  # a pending 'no' does not stop the clock
    assert "besluit niet te melden wacht op bevestiging door de FG" in outstanding(pending)
    for not_fg in (team.po1, team.po2, team.analist):  # only the FG role confirms
        with pytest.raises(PermissionDenied, match="fg_confirm"):
            confirm_decision(session, breach_id=bid, decision_id=no.decision_id, user=not_fg)
    done = confirm_decision(session, breach_id=bid, decision_id=no.decision_id, user=team.fg,
                            note="Als FG akkoord.", now=LATER)  # fmt: skip
    assert (done.state, done.confirmed_by, done.confirmed_at) == ("in_force", "fenna", LATER)
    final = get_breach(session, breach_id=bid, user=team.po1)
    assert not final.notify_ap and "melden bij de AP" not in outstanding(final)
    with pytest.raises(Conflict):
        confirm_decision(session, breach_id=bid, decision_id=no.decision_id, user=team.fg)
    with pytest.raises(Conflict, match="niet te melden"):
        mark_notified(session, breach_id=bid, user=team.po1, notified_at=LATER, now=LATER)


def test_a_new_decision_supersedes_the_earlier_one(session: Session, team: Team) -> None:
    bid = _by_hand(session, team).breach_id
    decide(session, breach_id=bid, user=team.po1, kind="notify_ap", value=False, reason="Laag.")
    decide(session, breach_id=bid, user=team.po2, kind="notify_ap", value=True, reason="Toch.")
    breach = get_breach(session, breach_id=bid, user=team.po1)
    assert [d.state for d in breach.decisions] == ["superseded", "in_force"]
    assert breach.notify_ap and breach.pending(DecisionKind.notify_ap) is None


def test_informing_the_people_on_a_high_risk(session: Session, team: Team) -> None:
    bid = _by_hand(session, team).breach_id
    with pytest.raises(UserError, match="beoordeel eerst de ernst"):
        decide(session, breach_id=bid, user=team.po1, kind="inform_subjects", value=False,
               reason="Geen gevolgen.")  # fmt: skip
    record_severity(session, breach_id=bid, user=team.po1, assessment=HIGH, reason="Uitkering.")
    assert "besluiten over het informeren van de betrokkenen (hoog risico)" in outstanding(
        get_breach(session, breach_id=bid, user=team.po1)
    )
    with pytest.raises(UserError, match=r"art\. 34 lid 3"):
        decide(session, breach_id=bid, user=team.po1, kind="inform_subjects", value=False,
               reason="Geen gevolgen.")  # fmt: skip
    with pytest.raises(UserError, match="onbekende uitzondering"):
        decide(session, breach_id=bid, user=team.po1, kind="inform_subjects", value=False,
               reason="x", exception="d")  # fmt: skip
    with pytest.raises(UserError, match="hoort bij"):
        decide(session, breach_id=bid, user=team.po1, kind="inform_subjects", value=True,
               reason="x", exception="b")  # fmt: skip
    ok = decide(session, breach_id=bid, user=team.po1, kind="inform_subjects", value=False,
                exception="b", reason="Toegang ingetrokken, niet verder verspreid.")  # fmt: skip
    assert (ok.value, ok.exception, ok.state) == (False, "b", "in_force")


def test_a_low_risk_needs_no_exception(session: Session, team: Team) -> None:
    bid = _by_hand(session, team).breach_id
    record_severity(session, breach_id=bid, user=team.po1, assessment=LOW, reason="Vergissing.")
    no = decide(session, breach_id=bid, user=team.po1, kind="inform_subjects", value=False,
                reason="Laag risico: geen hoog risico in de zin van art. 34.")  # fmt: skip
    assert no.exception is None


def test_postponing_under_art41_needs_a_future_review_date(session: Session, team: Team) -> None:
    bid = _by_hand(session, team).breach_id
    kw = {"breach_id": bid, "user": team.po1, "kind": "postpone_art41", "value": True,
          "reason": "Rijksrecherche vraagt uitstel.", "now": NOW}  # fmt: skip
    with pytest.raises(UserError, match="datum van herbeoordeling"):
        decide(session, **kw)
    with pytest.raises(UserError, match="in de toekomst"):
        decide(session, review_on=date(2026, 3, 2), **kw)
    with pytest.raises(UserError, match="hoort alleen bij uitstel"):
        decide(session, breach_id=bid, user=team.po1, kind="notify_ap", value=True,
               reason="Melden.", review_on=date(2026, 6, 1))  # fmt: skip
    ok = decide(session, review_on=date(2026, 6, 1), **kw)
    assert ok.review_on == date(2026, 6, 1)


# --- Notification and the clock -----------------------------------------------------------------


def test_a_late_notification_needs_a_delay_reason(session: Session, team: Team) -> None:
    bid = _by_hand(session, team).breach_id
    assert clock(session, breach_id=bid, now=AWARE + timedelta(hours=25)).level == "within_48h"
    late = AWARE + timedelta(hours=73)
    with pytest.raises(UserError, match="reden van de vertraging"):
        mark_notified(session, breach_id=bid, user=team.po1, notified_at=late, now=late)
    with pytest.raises(UserError, match="vóór de kennisname"):
        mark_notified(session, breach_id=bid, user=team.po1, notified_at=T0, now=late)
    breach = mark_notified(session, breach_id=bid, user=team.po1, notified_at=late, now=late,
                           delay_reason=" Onderzoek Rijksrecherche liep uit. ")  # fmt: skip
    assert (breach.status, breach.notified_at) == (BreachStatus.notified, late)
    assert breach.delay_reason == "Onderzoek Rijksrecherche liep uit."
    # the clock stopped at the notification: it stays overdue, whatever 'now' is
    assert clock(session, breach_id=bid, now=late + timedelta(days=9)).level == "overdue"
    with pytest.raises(Conflict, match="al gemeld"):
        mark_notified(session, breach_id=bid, user=team.po1, notified_at=late, now=late,
                      delay_reason="x")  # fmt: skip


def test_a_notification_in_time_needs_no_reason(session: Session, team: Team) -> None:
    bid = _by_hand(session, team).breach_id
    at = AWARE + timedelta(hours=72)  # exactly at the deadline is in time
    breach = mark_notified(session, breach_id=bid, user=team.po1, notified_at=at, now=at)
    assert breach.delay_reason is None
    assert clock(session, breach_id=bid, now=at).level == WarningLevel.within_4h


def test_every_act_is_in_the_timeline_and_the_audit_trail(session: Session, team: Team) -> None:
    before = len(audit_entries(session))
    bid = _by_hand(session, team).breach_id
    record_severity(session, breach_id=bid, user=team.po1, assessment=LOW, reason="Vergissing.",
                    now=NOW)  # fmt: skip
    no = decide(session, breach_id=bid, user=team.po1, kind="notify_ap", value=False,
                reason="Geen risico.", now=NOW)  # fmt: skip
    confirm_decision(session, breach_id=bid, decision_id=no.decision_id, user=team.fg, now=NOW)
    decide(session, breach_id=bid, user=team.po2, kind="notify_ap", value=True,
           reason="Heroverwogen.", now=NOW)  # fmt: skip
    mark_notified(session, breach_id=bid, user=team.po2, notified_at=NOW, now=NOW)
    breach = get_breach(session, breach_id=bid, user=team.fg)  # the FG reads every dossier
    assert [(e.author, e.kind) for e in breach.events] == [
        ("piet", "opened"), ("piet", "severity"), ("piet", "decision"),
        ("fenna", "confirmation"), ("paula", "decision"), ("paula", "notified"),
    ]  # fmt: skip
    target = f"breach:{bid}"
    assert audit_actions(session)[before:] == [
        ("piet", "breach_opened", target), ("piet", "breach_severity_recorded", target),
        ("piet", "breach_decision_proposed", target),
        ("fenna", "breach_decision_confirmed", target),
        ("paula", "breach_decision_made", target), ("paula", "breach_notified", target),
    ]  # fmt: skip
    assert_audit_intact(session, entries=before + 6)
    for outsider in (team.auditor, team.analist):  # least privilege: no breach dossiers
        with pytest.raises(PermissionDenied):
            get_breach(session, breach_id=bid, user=outsider)


# --- Realistic cases (issue 5, section 6) -------------------------------------------------------


def _open(session: Session, team: Team, dossier_id: int) -> int:
    return open_from_dossier(
        session, dossier_id=dossier_id, user=team.po1, aware_at=AWARE, now=NOW,
        note="Misbruik bevestigd door twee privacy officers.",
    ).breach_id  # fmt: skip


def test_curiosity_look_up_of_a_celebrity_is_notified(session: Session, team: Team) -> None:
    dossier_id = dossier_with(
        session, team, reason("watchlist", "category:public_figure", category="public_figure"),
        scenarios=("watchlist",),
    )  # fmt: skip
    bid = _open(session, team, dossier_id)
    affected = get_breach(session, breach_id=bid, user=team.po1).affected
    assert affected["watchlist_categories"] == ["public_figure"] and affected["people"] == 1
    defaults = severity_defaults(affected, motive=Motive.curiosity).assessment
    assert (defaults.score, defaults.band) == (2.25, "medium")  # BREACH.md §5 worked example
    record_severity(session, breach_id=bid, user=team.po1, assessment=defaults,
                    reason="Bekende Nederlander, uit nieuwsgierigheid.")  # fmt: skip
    breach = get_breach(session, breach_id=bid, user=team.po1)
    assert breach.notify_ap and "melden bij de AP" in outstanding(breach)  # §6: yes, by default
    assert clock(session, breach_id=bid, now=NOW).level == WarningLevel.none
    done = mark_notified(session, breach_id=bid, user=team.po1, notified_at=LATER, now=LATER)
    assert done.status == "notified" and outstanding(done) == []


def test_addresses_passed_to_criminals(session: Session, team: Team) -> None:
    dossier_id = dossier_with(
        session, team, reason("confidential", "geheimhouding", looks=3),
        reason("confidential", "export_print", n=1), scenarios=("confidential",),
    )  # fmt: skip
    bid = _open(session, team, dossier_id)
    affected = get_breach(session, breach_id=bid, user=team.po1).affected
    assert affected["confidential_addresses"] == 1
    severity = severity_defaults(
        affected, motive=Motive.profit, passed_on=True, data_categories=["adres"]
    ).assessment
    # BREACH.md §5 worked example: DPC 4 x EI 1 + CB (passed on 0.5 + malicious 0.5) = 5.0
    assert (severity.dpc, severity.cb, severity.score) == (4, 1.0, 5.0)
    assert severity.band == "very_high"
    record_severity(session, breach_id=bid, user=team.po1, assessment=severity,
                    reason="Adressen met geheimhouding verkocht aan criminelen.")  # fmt: skip
    with pytest.raises(UserError, match=r"art\. 34 lid 3"):
        decide(session, breach_id=bid, user=team.po1, kind="inform_subjects", value=False,
               reason="Liever niet.")  # fmt: skip
    decide(session, breach_id=bid, user=team.po1, kind="inform_subjects", value=True,
           reason="Zeer hoog risico: betrokkenen moeten zich kunnen beschermen.")  # fmt: skip
    decide(session, breach_id=bid, user=team.po1, kind="postpone_art41", value=True,
           review_on=date(2026, 4, 1), now=NOW,
           reason="OM vraagt uitstel: informeren schaadt het onderzoek.")  # fmt: skip
    breach = get_breach(session, breach_id=bid, user=team.po1)
    postponed = breach.in_force(DecisionKind.postpone_art41)
    assert postponed is not None and postponed.review_on == date(2026, 4, 1)
    assert outstanding(breach) == ["melden bij de AP"]  # art. 41 does not cover Art. 33


def test_family_snooping_with_special_category_data(session: Session, team: Team) -> None:
    dossier_id = dossier_with(
        session, team,
        reason("family", "relation:sibling", data_categories=["gezondheid", "basis"]),
        reason("family", "sensitive_data", n=2), reason("family", "minor", n=1),
    )  # fmt: skip
    bid = _open(session, team, dossier_id)
    affected = get_breach(session, breach_id=bid, user=team.po1).affected
    assert affected["data_categories"] == ["gezondheid", "basis"]
    assert affected["sensitive_data"] and affected["minors"] == 1
    severity = severity_defaults(affected, motive=Motive.curiosity).assessment
    assert (severity.context, severity.dpc, severity.score, severity.band) == (
        "sensitive", 4, 4.25, "very_high",
    )  # fmt: skip
    record_severity(session, breach_id=bid, user=team.po1, assessment=severity,
                    reason="Gezondheidsgegevens van een minderjarig familielid.")  # fmt: skip
    with pytest.raises(UserError, match=r"art\. 34 lid 3"):
        decide(session, breach_id=bid, user=team.po1, kind="inform_subjects", value=False,
               reason="Familie weet het al.")  # fmt: skip
    decide(session, breach_id=bid, user=team.po1, kind="inform_subjects", value=True,
           reason="Bijzondere gegevens: schade waarschijnlijk (EDPB 9/2022, 102).")  # fmt: skip
    assert get_breach(session, breach_id=bid, user=team.po1).notify_ap


def test_a_trusted_colleague_reported_at_once(session: Session, team: Team) -> None:
    """EDPB Case 09 (a trusted recipient): documentation only, with the FG's confirmation."""
    bid = _by_hand(
        session,
        team,
        title="Collega meldde zelf een verkeerd geopend dossier",
        note="Medewerker meldde direct dat zij door een typfout een verkeerd dossier opende.",
    ).breach_id
    decide(session, breach_id=bid, user=team.po1, kind="is_breach", value=True,
           reason="Toegang zonder werkreden, ook al was het een vergissing.")  # fmt: skip
    record_severity(session, breach_id=bid, user=team.po1, assessment=LOW,
                    reason="Typfout, direct gesloten, geen bijzondere gegevens.")  # fmt: skip
    assert get_breach(session, breach_id=bid, user=team.po1).band == "low"
    no = decide(session, breach_id=bid, user=team.po1, kind="notify_ap", value=False,
                reason="Bevinding: leidt waarschijnlijk niet tot een risico (betrouwbare "
                "ontvanger, direct gemeld, niets vastgelegd of gedeeld).")  # fmt: skip
    confirm_decision(session, breach_id=bid, decision_id=no.decision_id, user=team.fg,
                     note="Als FG akkoord met niet melden.")  # fmt: skip
    decide(session, breach_id=bid, user=team.po1, kind="inform_subjects", value=False,
           reason="Geen hoog risico.")  # fmt: skip
    breach = get_breach(session, breach_id=bid, user=team.po1)
    assert not breach.notify_ap and outstanding(breach) == []
    kept = breach.in_force(DecisionKind.notify_ap)
    assert kept is not None and (kept.decided_by, kept.confirmed_by) == ("piet", "fenna")
    assert [b.breach_id for b in list_breaches(session, user=team.po1, status=["open"])] == [bid]


def test_an_fg_who_decided_cannot_confirm_their_own_finding(session: Session, team: Team) -> None:
    """In a small municipality one person may be privacy officer and FG; the FG's check is
    still a second person's."""
    bid = open_by_hand(
        session, origin="manager", title="Tikfout", user=team.both, aware_at=AWARE,
        note="Collega meldde het zelf direct.", now=AWARE,
    ).breach_id  # fmt: skip
    no = decide(session, breach_id=bid, user=team.both, kind="notify_ap", value=False,
                reason="Eén raadpleging, direct gemeld: geen risico.", now=AWARE)  # fmt: skip
    with pytest.raises(PermissionDenied, match="niet zelf"):
        confirm_decision(session, breach_id=bid, decision_id=no.decision_id, user=team.both)
    done = confirm_decision(session, breach_id=bid, decision_id=no.decision_id, user=team.fg)
    assert done.confirmed_by == "fenna"

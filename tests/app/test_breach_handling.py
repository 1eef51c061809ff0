"""Handling a breach dossier after the assessment: the phased notification (Art. 33(4)),
the AP form's particulars, measures taken, and closing.

Builds on test_breach_dossier.py (opening, severity, decisions, the clock)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from schildwacht.app.breaches.models import Breach, BreachStatus
from schildwacht.app.breaches.service import (
    add_addition,
    add_measure,
    close_breach,
    closing_refusals,
    confirm_decision,
    decide,
    get_breach,
    mark_notified,
    open_by_hand,
    record_letters_sent,
    record_particulars,
    record_severity,
)
from schildwacht.app.breaches.severity import assess
from schildwacht.errors import Conflict, PermissionDenied, UserError
from tests.app.breach_factories import Team, make_team
from tests.app.conftest import T0
from tests.app.factories import audit_actions, fresh_database

AWARE = T0 + timedelta(hours=2)  # Monday 2 March 2026, 12:15 in Amsterdam
NOW = AWARE + timedelta(hours=1)
SENT = AWARE + timedelta(hours=30)
LOW = assess(context="simple", identification="maximum", confidentiality="known")  # 1.25
HIGH = assess(context="financial", identification="maximum", confidentiality="known")  # 3.25


@pytest.fixture
def sessions() -> sessionmaker[Session]:
    return fresh_database()


@pytest.fixture
def team(session: Session) -> Team:
    return make_team(session)


def _opened(session: Session, team: Team) -> Breach:
    return open_by_hand(
        session, origin="rijksrecherche", title="Adressen doorgespeeld", user=team.po1,
        aware_at=AWARE, note="Proces-verbaal van de Rijksrecherche ontvangen.", now=AWARE,
    )  # fmt: skip


def test_the_first_notification_is_kept_as_sent_and_additions_follow(
    session: Session, team: Team
) -> None:
    bid = _opened(session, team).breach_id
    with pytest.raises(Conflict, match="meld eerst"):
        add_addition(session, breach_id=bid, user=team.po1, sent_at=NOW, note="x", now=NOW)
    draft = {"sections": [{"number": "1", "fields": [{"id": "notification_type"}]}]}
    notified = mark_notified(
        session, breach_id=bid, user=team.po1, notified_at=SENT, ap_reference=" AP-2026-0042 ",
        content=draft, now=SENT,
    )  # fmt: skip
    assert notified.status == BreachStatus.notified and notified.notified_at == SENT
    [first] = notified.notices
    assert (first.phase, first.ap_reference, first.late, first.sent_by) == (
        "initial", "AP-2026-0042", False, "piet",
    )  # fmt: skip
    assert first.content == draft
    with pytest.raises(Conflict, match="aanvulling"):
        mark_notified(session, breach_id=bid, user=team.po1, notified_at=SENT, now=SENT)
    later = SENT + timedelta(days=5)
    with pytest.raises(UserError, match="toevoegt"):
        add_addition(session, breach_id=bid, user=team.po1, sent_at=later, note=" ", now=later)
    with pytest.raises(UserError, match="na de eerste melding"):
        add_addition(session, breach_id=bid, user=team.po1, sent_at=SENT - timedelta(hours=1),
                     note="Aantal betrokkenen bijgesteld.", now=later)  # fmt: skip
    added = add_addition(session, breach_id=bid, user=team.po2, sent_at=later, now=later,
                         note="Aantal betrokkenen bijgesteld: 14 in plaats van 9.")  # fmt: skip
    assert [(n.phase, n.ap_reference, n.sent_by) for n in added.notices] == [
        ("initial", "AP-2026-0042", "piet"), ("addition", "AP-2026-0042", "paula"),
    ]  # fmt: skip
    assert [a for _, a, _ in audit_actions(session)][-2:] == [
        "breach_notified", "breach_notice_added",
    ]  # fmt: skip


def test_a_late_notification_is_marked_late_with_its_reason(session: Session, team: Team) -> None:
    bid = _opened(session, team).breach_id
    late = AWARE + timedelta(hours=73)
    with pytest.raises(UserError, match="reden van de vertraging"):
        mark_notified(session, breach_id=bid, user=team.po1, notified_at=late, now=late)
    reason = "Weekend; aantal betrokkenen eerst vastgesteld."
    breach = mark_notified(session, breach_id=bid, user=team.po1, notified_at=late, now=late,
                           delay_reason=reason)  # fmt: skip
    assert breach.notices[0].late and breach.delay_reason.startswith("Weekend")


def test_particulars_replace_the_earlier_set_and_the_timeline_names_changed_fields(
    session: Session, team: Team
) -> None:
    bid = _opened(session, team).breach_id
    first = {"legal_regime": "avg", "other_supervisors": []}
    record_particulars(session, breach_id=bid, user=team.po1, now=NOW, particulars=first)
    same = record_particulars(session, breach_id=bid, user=team.po1, now=NOW,
                              particulars=dict(first))  # fmt: skip
    assert [e.kind for e in same.events].count("particulars") == 1  # nothing changed: no entry
    changed = record_particulars(
        session, breach_id=bid, user=team.po1, now=NOW,
        particulars={"legal_regime": "avg", "other_supervisors": ["igj"]},
    )  # fmt: skip
    assert changed.particulars == {"legal_regime": "avg", "other_supervisors": ["igj"]}
    assert changed.events[-1].details == {"fields": ["other_supervisors"]}
    with pytest.raises(PermissionDenied):
        record_particulars(session, breach_id=bid, user=team.fg, particulars={})


def test_measures_are_recorded_with_their_kind_and_date(session: Session, team: Team) -> None:
    bid = _opened(session, team).breach_id
    with pytest.raises(UserError, match="soort maatregel"):
        add_measure(session, breach_id=bid, user=team.po1, kind="bestraffen", text="x",
                    taken_on=date(2026, 3, 2), now=NOW)  # fmt: skip
    with pytest.raises(UserError, match="toekomst"):
        add_measure(session, breach_id=bid, user=team.po1, kind="end", text="Account geblokkeerd",
                    taken_on=date(2026, 3, 3), now=NOW)  # fmt: skip
    with pytest.raises(UserError, match="Beschrijf"):
        add_measure(session, breach_id=bid, user=team.po1, kind="end", text=" ",
                    taken_on=date(2026, 3, 2), now=NOW)  # fmt: skip
    revoked = "BRP-autorisatie ingetrokken."
    breach = add_measure(session, breach_id=bid, user=team.po1, kind="end", now=NOW,
                         text=revoked, taken_on=date(2026, 3, 2))  # fmt: skip
    [measure] = breach.measures
    assert (measure.kind, measure.text, measure.taken_on, measure.recorded_by) == (
        "end", "BRP-autorisatie ingetrokken.", date(2026, 3, 2), "piet",
    )  # fmt: skip


def test_a_dossier_closes_only_when_handled_and_is_read_only_after(
    session: Session, team: Team
) -> None:
    bid = _opened(session, team).breach_id
    assert closing_refusals(get_breach(session, breach_id=bid, user=team.po1)) == [
        "de ernst is niet beoordeeld",
        "de AP is nog niet gemeld (of niet melden is niet bevestigd door de FG)",
        "er is nog geen genomen maatregel vastgelegd",
    ]
    record_severity(session, breach_id=bid, user=team.po1, assessment=HIGH,
                    reason="Financiële gegevens doorgespeeld.", now=NOW)  # fmt: skip
    mark_notified(session, breach_id=bid, user=team.po1, notified_at=SENT, now=SENT)
    add_measure(session, breach_id=bid, user=team.po1, kind="end", text="Account geblokkeerd.",
                taken_on=date(2026, 3, 2), now=SENT)  # fmt: skip
    with pytest.raises(UserError, match="informeren van betrokkenen"):
        close_breach(session, breach_id=bid, user=team.po1, note="Afgehandeld.", now=SENT)
    decide(session, breach_id=bid, user=team.po1, kind="inform_subjects", value=True,
           reason="Hoog risico: brief aan elke betrokkene.", now=SENT)  # fmt: skip
    with pytest.raises(UserError, match="Vat"):
        close_breach(session, breach_id=bid, user=team.po1, note=" ", now=SENT)
    closed = close_breach(session, breach_id=bid, user=team.po1, now=SENT,
                          note="Gemeld, brieven verstuurd, medewerker ontslagen.")  # fmt: skip
    assert (closed.status, closed.closed_at) == ("closed", SENT)
    assert closed.closing_note == "Gemeld, brieven verstuurd, medewerker ontslagen."
    with pytest.raises(Conflict, match="gesloten"):
        add_measure(session, breach_id=bid, user=team.po1, kind="prevent", text="Training.",
                    taken_on=date(2026, 3, 2), now=SENT)  # fmt: skip


def test_a_confirmed_decision_not_to_notify_lets_the_dossier_close(
    session: Session, team: Team
) -> None:
    bid = _opened(session, team).breach_id
    record_severity(session, breach_id=bid, user=team.po1, assessment=LOW,
                    reason="Eén raadpleging van basisgegevens.", now=NOW)  # fmt: skip
    no = decide(session, breach_id=bid, user=team.po1, kind="notify_ap", value=False, now=NOW,
                reason="Collega meldde het zelf direct; geen risico.")  # fmt: skip
    add_measure(session, breach_id=bid, user=team.po1, kind="prevent", now=NOW,
                text="Werkinstructie aangescherpt.", taken_on=date(2026, 3, 2))  # fmt: skip
    pending = get_breach(session, breach_id=bid, user=team.po1)
    assert "de AP is nog niet gemeld" in closing_refusals(pending)[0]  # waits for the FG
    confirm_decision(session, breach_id=bid, decision_id=no.decision_id, user=team.fg, now=NOW)
    closed = close_breach(session, breach_id=bid, user=team.po1, note="Niet gemeld; in register.",
                          now=NOW)  # fmt: skip
    assert closed.status == "closed" and closed.notices == ()


def test_letters_sent_are_recorded_only_when_informing_stands(session: Session, team: Team) -> None:
    bid = _opened(session, team).breach_id
    sent_on = date(2026, 3, 2)
    with pytest.raises(Conflict, match="informeren"):
        record_letters_sent(session, breach_id=bid, user=team.po1, count=3, sent_on=sent_on,
                            now=NOW)  # fmt: skip
    decide(session, breach_id=bid, user=team.po1, kind="inform_subjects", value=True,
           reason="Iedereen een brief.", now=NOW)  # fmt: skip
    decide(session, breach_id=bid, user=team.po1, kind="postpone_art41", value=True, now=NOW,
           reason="Strafrechtelijk onderzoek loopt.", review_on=date(2026, 4, 1))  # fmt: skip
    with pytest.raises(Conflict, match="uitgesteld"):
        record_letters_sent(session, breach_id=bid, user=team.po1, count=3, sent_on=sent_on,
                            now=NOW)  # fmt: skip
    decide(session, breach_id=bid, user=team.po1, kind="postpone_art41", value=False, now=NOW,
           reason="Het OM heeft geen bezwaar meer.")  # fmt: skip
    with pytest.raises(UserError, match="ten minste 1"):
        record_letters_sent(session, breach_id=bid, user=team.po1, count=0, sent_on=sent_on,
                            now=NOW)  # fmt: skip
    done = record_letters_sent(session, breach_id=bid, user=team.po1, count=3, sent_on=sent_on,
                               now=NOW)  # fmt: skip
    assert done.particulars["follow_up.informed"] == "yes"
    assert done.particulars["follow_up.informed_count"] == 3
    assert done.particulars["follow_up.informed_how"] == ["letter"]
    assert done.events[-1].kind == "letters"

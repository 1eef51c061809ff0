"""The investigation workflow: nieuw -> in_onderzoek -> afgesloten, with four-eyes decisions.

Every act must leave a history note on the alert and an entry in the audit trail, and the
trail must still verify afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from schildwacht.app.alerts.models import AlertRecord, AlertStatus
from schildwacht.app.auth.models import User
from schildwacht.app.triage.models import DecisionState, NoteKind
from schildwacht.app.triage.service import (
    add_comment,
    assign,
    awaiting_second,
    confirm_decision,
    decisions,
    history,
    needs_four_eyes,
    pending_decision,
    propose_close,
    reject_decision,
    reopen,
    resolution_label,
    start_investigation,
)
from schildwacht.config import TriageSettings
from schildwacht.errors import Conflict, NotFound, PermissionDenied, UserError
from tests.app.conftest import T0
from tests.app.factories import (
    assert_audit_intact,
    audit_actions,
    audit_entries,
    fresh_database,
    make_alert,
    make_user,
)

RULES = TriageSettings()  # misbruik_bevestigd and scores of 70 or more need a second officer
LATER = T0 + timedelta(hours=1)
NOTE = "Zaak 2026-0412 verklaart de raadplegingen."


@pytest.fixture
def sessions() -> sessionmaker[Session]:
    """A fresh migrated in-memory database (overrides the file-based one of conftest.py)."""
    return fresh_database()


@dataclass(frozen=True)
class Team:
    analist: User
    po1: User
    po2: User
    beheerder: User
    auditor: User


@pytest.fixture
def team(session: Session) -> Team:
    return Team(
        analist=make_user(session, "ana", "analist"),
        po1=make_user(session, "piet", "privacy_officer"),
        po2=make_user(session, "paula", "privacy_officer"),
        beheerder=make_user(session, "bea", "beheerder"),
        auditor=make_user(session, "aud", "auditor"),
    )


def _status(session: Session, alert_id: str) -> str:
    row = session.get(AlertRecord, alert_id)
    assert row is not None
    return row.status


def _close(
    session: Session, alert_id: str, user: User, resolution: str = "legitiem_overig"
) -> None:
    propose_close(
        session, alert_id=alert_id, user=user, resolution=resolution, note=NOTE, rules=RULES,
        now=LATER,
    )  # fmt: skip


# --- starting, assigning, commenting ----------------------------------------------------------


def test_analist_starts_an_investigation(session: Session, team: Team) -> None:
    alert = make_alert(session, "a-1")
    start_investigation(session, alert_id=alert, user=team.analist, client="10.0.0.7", now=LATER)
    assert _status(session, alert) == AlertStatus.in_onderzoek
    row = session.get(AlertRecord, alert)
    assert row is not None and row.updated_at == LATER

    (note,) = history(session, alert_id=alert)
    assert (note.kind, note.author_id, note.at) == (NoteKind.status, team.analist.user_id, LATER)
    assert note.details == {"from": "nieuw", "to": "in_onderzoek"}

    (entry,) = audit_entries(session)
    assert (entry.actor, entry.action, entry.target) == ("ana", "status_changed", "alert:a-1")
    assert entry.details == {"from": "nieuw", "to": "in_onderzoek"}
    assert entry.client == "10.0.0.7"
    assert entry.at == LATER


def test_starting_twice_or_on_a_closed_alert_is_a_conflict(session: Session, team: Team) -> None:
    alert = make_alert(session, "a-1", score=30.0)
    start_investigation(session, alert_id=alert, user=team.analist)
    with pytest.raises(Conflict, match="al in_onderzoek"):
        start_investigation(session, alert_id=alert, user=team.po1)
    _close(session, alert, team.po1)
    with pytest.raises(Conflict, match="al afgesloten"):
        start_investigation(session, alert_id=alert, user=team.analist)
    assert _status(session, alert) == AlertStatus.afgesloten


def test_unknown_alert_is_not_found(session: Session, team: Team) -> None:
    with pytest.raises(NotFound, match="a-404"):
        start_investigation(session, alert_id="a-404", user=team.analist)
    with pytest.raises(NotFound):
        add_comment(session, alert_id="a-404", user=team.analist, text="hallo")
    with pytest.raises(NotFound):
        assign(session, alert_id="a-404", user=team.analist, assignee="ana")
    with pytest.raises(NotFound):
        _close(session, "a-404", team.po1)
    with pytest.raises(NotFound):
        reopen(session, alert_id="a-404", user=team.po1, note="opnieuw bekijken")
    with pytest.raises(NotFound, match="besluit 404"):
        confirm_decision(session, decision_id=404, user=team.po2)
    assert audit_entries(session) == []


@pytest.mark.parametrize("who", ["beheerder", "auditor"])
def test_beheerder_and_auditor_cannot_touch_alerts(session: Session, team: Team, who: str) -> None:
    user: User = getattr(team, who)
    alert = make_alert(session, "a-1", score=30.0)
    with pytest.raises(PermissionDenied):
        start_investigation(session, alert_id=alert, user=user)
    with pytest.raises(PermissionDenied):
        add_comment(session, alert_id=alert, user=user, text="kijkje")
    with pytest.raises(PermissionDenied):
        assign(session, alert_id=alert, user=user, assignee="ana")
    with pytest.raises(PermissionDenied):
        _close(session, alert, user)
    assert _status(session, alert) == AlertStatus.nieuw
    assert history(session, alert_id=alert) == []
    assert audit_entries(session) == []


def test_analist_cannot_decide(session: Session, team: Team) -> None:
    low = make_alert(session, "a-low", score=30.0)
    high = make_alert(session, "a-high", score=90.0)
    with pytest.raises(PermissionDenied, match="alerts_decide"):
        _close(session, low, team.analist)
    decision = propose_close(
        session, alert_id=high, user=team.po1, resolution="misbruik_bevestigd", note=NOTE,
        rules=RULES,
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        confirm_decision(session, decision_id=decision.decision_id, user=team.analist)
    with pytest.raises(PermissionDenied):
        reject_decision(
            session, decision_id=decision.decision_id, user=team.analist, note="oneens hiermee"
        )
    assert _status(session, low) == AlertStatus.nieuw
    assert pending_decision(session, alert_id=high) == decision


def test_assigning_to_an_investigator(session: Session, team: Team) -> None:
    alert = make_alert(session, "a-1")
    assign(session, alert_id=alert, user=team.analist, assignee=" PAULA ", now=LATER)
    row = session.get(AlertRecord, alert)
    assert row is not None and row.assignee_id == team.po2.user_id

    assign(session, alert_id=alert, user=team.po2, assignee=None, now=LATER)
    assert row.assignee_id is None
    notes = history(session, alert_id=alert)
    assert [(n.kind, n.details) for n in notes] == [
        (NoteKind.assignment, {"assignee": "paula"}),
        (NoteKind.assignment, {"assignee": None}),
    ]
    assert [a[1] for a in audit_actions(session)] == ["assigned", "assigned"]


def test_cannot_assign_to_someone_who_may_not_investigate(session: Session, team: Team) -> None:
    make_user(session, "oud", "analist", active=False)
    alert = make_alert(session, "a-1")
    with pytest.raises(UserError, match="mag geen meldingen onderzoeken"):
        assign(session, alert_id=alert, user=team.analist, assignee="bea")
    with pytest.raises(UserError, match="mag geen meldingen onderzoeken"):
        assign(session, alert_id=alert, user=team.analist, assignee="aud")
    with pytest.raises(UserError, match="geen actieve gebruiker"):
        assign(session, alert_id=alert, user=team.analist, assignee="oud")
    with pytest.raises(UserError, match="geen actieve gebruiker"):
        assign(session, alert_id=alert, user=team.analist, assignee="niemand")
    row = session.get(AlertRecord, alert)
    assert row is not None and row.assignee_id is None
    assert audit_entries(session) == []


def test_comments_are_kept_in_the_history(session: Session, team: Team) -> None:
    alert = make_alert(session, "a-1")
    add_comment(session, alert_id=alert, user=team.analist, text="  Navragen bij team.  ")
    with pytest.raises(UserError, match="niet leeg"):
        add_comment(session, alert_id=alert, user=team.analist, text="   ")
    (note,) = history(session, alert_id=alert)
    assert (note.kind, note.text, note.author_id) == (
        NoteKind.comment,
        "Navragen bij team.",
        team.analist.user_id,
    )
    (entry,) = audit_entries(session)
    assert (entry.action, entry.details) == ("comment_added", {"text": "Navragen bij team."})
    assert _status(session, alert) == AlertStatus.nieuw  # a comment does not change the state


# --- closing ------------------------------------------------------------------------------------


def test_dismissing_a_low_score_alert_closes_it_at_once(session: Session, team: Team) -> None:
    alert = make_alert(session, "a-1", score=45.0)
    start_investigation(session, alert_id=alert, user=team.analist, now=T0)
    decision = propose_close(
        session, alert_id=alert, user=team.po1, resolution="legitiem_zaak_niet_geregistreerd",
        note=f"  {NOTE}  ", rules=RULES, now=LATER,
    )  # fmt: skip
    assert not decision.needs_second
    assert decision.state == DecisionState.confirmed
    assert decision.note == NOTE
    assert (decision.proposed_by, decision.proposed_at) == (team.po1.user_id, LATER)
    assert _status(session, alert) == AlertStatus.afgesloten
    assert pending_decision(session, alert_id=alert) is None
    assert decisions(session, alert_id=alert) == [decision]
    assert [a[1] for a in audit_actions(session)] == [
        "status_changed",
        "decision_made",
        "status_changed",
    ]
    assert audit_entries(session)[1].details == {
        "decision": decision.decision_id,
        "resolution": "legitiem_zaak_niet_geregistreerd",
        "four_eyes": False,
        "text": NOTE,
    }


def test_a_new_alert_can_be_closed_directly(session: Session, team: Team) -> None:
    alert = make_alert(session, "a-1", score=10.0)
    _close(session, alert, team.po1, "dubbel")
    assert _status(session, alert) == AlertStatus.afgesloten
    notes = history(session, alert_id=alert)
    assert [n.kind for n in notes] == [NoteKind.decision, NoteKind.status]
    assert notes[1].details == {"from": "nieuw", "to": "afgesloten"}


@pytest.mark.parametrize("note", ["", "   \n\t"])
def test_a_note_is_mandatory_when_closing(session: Session, team: Team, note: str) -> None:
    alert = make_alert(session, "a-1", score=30.0)
    with pytest.raises(UserError, match="toelichting is verplicht"):
        propose_close(
            session, alert_id=alert, user=team.po1, resolution="legitiem_overig", note=note,
            rules=RULES,
        )  # fmt: skip
    assert _status(session, alert) == AlertStatus.nieuw
    assert decisions(session, alert_id=alert) == []
    assert history(session, alert_id=alert) == []
    assert audit_entries(session) == []


@pytest.mark.parametrize("resolution", ["weggewerkt", "Legitiem_overig", ""])
def test_unknown_resolution_is_refused(session: Session, team: Team, resolution: str) -> None:
    alert = make_alert(session, "a-1", score=30.0)
    with pytest.raises(UserError, match="onbekende afhandeling"):
        propose_close(
            session, alert_id=alert, user=team.po1, resolution=resolution, note=NOTE,
            rules=RULES,
        )  # fmt: skip
    assert _status(session, alert) == AlertStatus.nieuw
    assert decisions(session, alert_id=alert) == []
    assert audit_entries(session) == []


def test_resolutions_come_from_the_settings(session: Session, team: Team) -> None:
    rules = TriageSettings(resolutions=("opgelost", "misbruik_bevestigd"))
    alert = make_alert(session, "a-1", score=30.0)
    with pytest.raises(UserError, match="onbekende afhandeling"):
        propose_close(
            session, alert_id=alert, user=team.po1, resolution="legitiem_overig", note=NOTE,
            rules=rules,
        )  # fmt: skip
    propose_close(
        session, alert_id=alert, user=team.po1, resolution="opgelost", note=NOTE, rules=rules
    )
    assert _status(session, alert) == AlertStatus.afgesloten


def test_closing_a_closed_alert_is_a_conflict(session: Session, team: Team) -> None:
    alert = make_alert(session, "a-1", score=30.0)
    _close(session, alert, team.po1)
    with pytest.raises(Conflict, match="al afgesloten"):
        _close(session, alert, team.po2, "dubbel")
    assert [d.resolution for d in decisions(session, alert_id=alert)] == ["legitiem_overig"]


# --- four eyes ----------------------------------------------------------------------------------


def test_confirmed_misuse_needs_a_second_privacy_officer(session: Session, team: Team) -> None:
    alert = make_alert(session, "a-1", score=30.0)  # low score: the resolution decides
    decision = propose_close(
        session, alert_id=alert, user=team.po1, resolution="misbruik_bevestigd", note=NOTE,
        rules=RULES, now=LATER,
    )  # fmt: skip
    assert decision.needs_second
    assert decision.state == DecisionState.pending
    # proposing is not closing; a new alert is taken into investigation meanwhile
    assert _status(session, alert) == AlertStatus.in_onderzoek
    assert pending_decision(session, alert_id=alert) == decision
    assert awaiting_second(session) == [decision]

    # the proposer cannot confirm their own decision
    with pytest.raises(PermissionDenied, match="vier-ogenprincipe"):
        confirm_decision(session, decision_id=decision.decision_id, user=team.po1)
    assert _status(session, alert) == AlertStatus.in_onderzoek
    assert pending_decision(session, alert_id=alert) == decision

    confirmed = confirm_decision(
        session, decision_id=decision.decision_id, user=team.po2, note=" Eens. ",
        client="10.0.0.8", now=LATER + timedelta(hours=1),
    )  # fmt: skip
    assert confirmed.state == DecisionState.confirmed
    assert (confirmed.second_by, confirmed.second_note) == (team.po2.user_id, "Eens.")
    assert confirmed.second_at == LATER + timedelta(hours=1)
    assert _status(session, alert) == AlertStatus.afgesloten
    assert pending_decision(session, alert_id=alert) is None
    assert awaiting_second(session) == []

    assert audit_actions(session) == [
        ("piet", "decision_proposed", "alert:a-1"),
        ("piet", "status_changed", "alert:a-1"),
        ("paula", "decision_confirmed", "alert:a-1"),
        ("paula", "status_changed", "alert:a-1"),
    ]
    assert_audit_intact(session, entries=4)


def test_a_decision_is_confirmed_only_once(session: Session, team: Team) -> None:
    make_user(session, "petra", "privacy_officer")
    alert = make_alert(session, "a-1")
    decision = propose_close(
        session, alert_id=alert, user=team.po1, resolution="misbruik_bevestigd", note=NOTE,
        rules=RULES,
    )  # fmt: skip
    confirm_decision(session, decision_id=decision.decision_id, user=team.po2)
    with pytest.raises(Conflict, match="wacht niet op bevestiging"):
        confirm_decision(session, decision_id=decision.decision_id, user=team.po2)
    with pytest.raises(Conflict, match="wacht niet op bevestiging"):
        reject_decision(
            session, decision_id=decision.decision_id, user=team.po2, note="toch niet eens"
        )


@pytest.mark.parametrize(
    ("score", "four_eyes"), [(72.5, True), (70.0, True), (69.99, False), (0.0, False)]
)
def test_dismissing_a_high_score_alert_needs_four_eyes(
    session: Session, team: Team, score: float, four_eyes: bool
) -> None:
    alert = make_alert(session, "a-1", score=score)
    decision = propose_close(
        session, alert_id=alert, user=team.po1, resolution="legitiem_verzoek_collega",
        note=NOTE, rules=RULES,
    )  # fmt: skip
    assert decision.needs_second is four_eyes
    expected = AlertStatus.in_onderzoek if four_eyes else AlertStatus.afgesloten
    assert _status(session, alert) == expected


def test_four_eyes_rules_come_from_the_settings() -> None:
    strict = TriageSettings(four_eyes_resolutions=("dubbel",), four_eyes_min_score=50)
    assert needs_four_eyes("dubbel", 0.0, strict)
    assert needs_four_eyes("legitiem_overig", 50.0, strict)
    assert not needs_four_eyes("misbruik_bevestigd", 49.9, strict)
    assert needs_four_eyes("misbruik_bevestigd", 0.0, RULES)
    assert not needs_four_eyes("legitiem_overig", 69.9, RULES)


def test_a_pending_decision_blocks_another_proposal(session: Session, team: Team) -> None:
    alert = make_alert(session, "a-1", score=80.0)
    first = propose_close(
        session, alert_id=alert, user=team.po1, resolution="legitiem_overig", note=NOTE,
        rules=RULES,
    )  # fmt: skip
    with pytest.raises(Conflict, match="wacht al een besluit"):
        propose_close(
            session, alert_id=alert, user=team.po2, resolution="misbruik_bevestigd", note=NOTE,
            rules=RULES,
        )  # fmt: skip
    assert decisions(session, alert_id=alert) == [first]


def test_second_officer_may_reject_with_a_reason(session: Session, team: Team) -> None:
    alert = make_alert(session, "a-1", score=85.0)
    start_investigation(session, alert_id=alert, user=team.analist)
    decision = propose_close(
        session, alert_id=alert, user=team.po1, resolution="legitiem_overig", note=NOTE,
        rules=RULES,
    )  # fmt: skip
    with pytest.raises(UserError, match="waarom"):
        reject_decision(session, decision_id=decision.decision_id, user=team.po2, note="  ")
    with pytest.raises(PermissionDenied, match="vier-ogenprincipe"):
        reject_decision(
            session, decision_id=decision.decision_id, user=team.po1, note="ik trek het in"
        )
    rejected = reject_decision(
        session, decision_id=decision.decision_id, user=team.po2,
        note="De zaak dekt maar één van de vier raadplegingen.",
    )  # fmt: skip
    assert rejected.state == DecisionState.rejected
    assert rejected.second_by == team.po2.user_id
    assert _status(session, alert) == AlertStatus.in_onderzoek
    assert pending_decision(session, alert_id=alert) is None
    assert "decision_rejected" in [a[1] for a in audit_actions(session)]

    # the alert stays open for a better decision, which needs four eyes again
    again = propose_close(
        session, alert_id=alert, user=team.po2, resolution="misbruik_bevestigd", note=NOTE,
        rules=RULES,
    )  # fmt: skip
    confirm_decision(session, decision_id=again.decision_id, user=team.po1)
    assert _status(session, alert) == AlertStatus.afgesloten
    states = [d.state for d in decisions(session, alert_id=alert)]
    assert states == [DecisionState.rejected, DecisionState.confirmed]


def test_someone_holding_both_roles_still_cannot_confirm_their_own(
    session: Session, team: Team
) -> None:
    both = make_user(session, "bo", "privacy_officer", "beheerder")
    alert = make_alert(session, "a-1")
    decision = propose_close(
        session, alert_id=alert, user=both, resolution="misbruik_bevestigd", note=NOTE,
        rules=RULES,
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        confirm_decision(session, decision_id=decision.decision_id, user=both)
    assert _status(session, alert) == AlertStatus.in_onderzoek


# --- reopening ----------------------------------------------------------------------------------


def test_reopening_withdraws_the_decision(session: Session, team: Team) -> None:
    alert = make_alert(session, "a-1", score=30.0)
    decision = propose_close(
        session, alert_id=alert, user=team.po1, resolution="legitiem_overig", note=NOTE,
        rules=RULES, now=T0,
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        reopen(session, alert_id=alert, user=team.analist, note="nieuwe informatie")
    with pytest.raises(UserError, match="heropend"):
        reopen(session, alert_id=alert, user=team.po2, note=" ")
    assert _status(session, alert) == AlertStatus.afgesloten

    reopen(session, alert_id=alert, user=team.po2, note="Nieuwe melding van de burger.")
    assert _status(session, alert) == AlertStatus.in_onderzoek
    (withdrawn,) = decisions(session, alert_id=alert)
    assert withdrawn.decision_id == decision.decision_id
    assert withdrawn.state == DecisionState.withdrawn
    last = history(session, alert_id=alert)[-1]
    assert (last.kind, last.text) == (NoteKind.status, "Nieuwe melding van de burger.")
    assert last.details == {"from": "afgesloten", "to": "in_onderzoek"}
    assert audit_entries(session)[-1].details == {
        "from": "afgesloten",
        "to": "in_onderzoek",
        "text": "Nieuwe melding van de burger.",
    }

    # and it can be decided again
    _close(session, alert, team.po2, "dubbel")
    assert _status(session, alert) == AlertStatus.afgesloten
    states = [(d.resolution, d.state) for d in decisions(session, alert_id=alert)]
    assert states == [("legitiem_overig", "withdrawn"), ("dubbel", "confirmed")]


def test_only_a_closed_alert_can_be_reopened(session: Session, team: Team) -> None:
    alert = make_alert(session, "a-1")
    with pytest.raises(Conflict, match="niet afgesloten"):
        reopen(session, alert_id=alert, user=team.po1, note="waarom niet")
    decision = propose_close(
        session, alert_id=alert, user=team.po1, resolution="misbruik_bevestigd", note=NOTE,
        rules=RULES,
    )  # fmt: skip
    with pytest.raises(Conflict, match="niet afgesloten"):
        reopen(session, alert_id=alert, user=team.po2, note="nog niet bevestigd")
    assert pending_decision(session, alert_id=alert) == decision


def test_reopening_a_confirmed_misuse_withdraws_it(session: Session, team: Team) -> None:
    alert = make_alert(session, "a-1")
    decision = propose_close(
        session, alert_id=alert, user=team.po1, resolution="misbruik_bevestigd", note=NOTE,
        rules=RULES,
    )  # fmt: skip
    confirm_decision(session, decision_id=decision.decision_id, user=team.po2)
    reopen(session, alert_id=alert, user=team.po1, note="Bezwaar van de medewerker.")
    assert [d.state for d in decisions(session, alert_id=alert)] == [DecisionState.withdrawn]
    assert _status(session, alert) == AlertStatus.in_onderzoek


# --- the whole story ----------------------------------------------------------------------------


def test_every_act_is_noted_and_audited_and_the_trail_verifies(
    session: Session, team: Team
) -> None:
    alert = make_alert(session, "a-1", score=88.0)
    other = make_alert(session, "a-2", employee_id="e00002", score=20.0)
    start_investigation(session, alert_id=alert, user=team.analist)
    assign(session, alert_id=alert, user=team.analist, assignee="ana")
    add_comment(session, alert_id=alert, user=team.analist, text="Geen zaak gevonden.")
    first = propose_close(
        session, alert_id=alert, user=team.po1, resolution="legitiem_overig", note=NOTE,
        rules=RULES,
    )  # fmt: skip
    reject_decision(session, decision_id=first.decision_id, user=team.po2, note="Onvoldoende.")
    second = propose_close(
        session, alert_id=alert, user=team.po1, resolution="misbruik_bevestigd", note=NOTE,
        rules=RULES,
    )  # fmt: skip
    confirm_decision(session, decision_id=second.decision_id, user=team.po2)
    reopen(session, alert_id=alert, user=team.po2, note="Nieuwe feiten.")
    _close(session, other, team.po1, "dubbel")

    actions = audit_actions(session)
    assert actions == [
        ("ana", "status_changed", "alert:a-1"),
        ("ana", "assigned", "alert:a-1"),
        ("ana", "comment_added", "alert:a-1"),
        ("piet", "decision_proposed", "alert:a-1"),
        ("paula", "decision_rejected", "alert:a-1"),
        ("piet", "decision_proposed", "alert:a-1"),
        ("paula", "decision_confirmed", "alert:a-1"),
        ("paula", "status_changed", "alert:a-1"),
        ("paula", "status_changed", "alert:a-1"),
        ("piet", "decision_made", "alert:a-2"),
        ("piet", "status_changed", "alert:a-2"),
    ]
    # the alert's own history tells the same story
    assert len(history(session, alert_id=alert)) == 9
    assert len(history(session, alert_id=other)) == 2
    assert_audit_intact(session, entries=len(actions))


def test_resolution_labels_are_readable() -> None:
    assert resolution_label("legitiem_zaak_niet_geregistreerd") == (
        "legitiem - zaak niet geregistreerd"
    )
    assert resolution_label("misbruik_bevestigd") == "misbruik bevestigd"
    assert resolution_label("dubbel") == "dubbel"

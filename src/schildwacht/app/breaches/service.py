"""Handling one breach dossier: open it, assess it, decide, notify, and watch the clock.

The rules make the correct procedure the easy one (issue 5, ``BREACH.md`` §6-8):

- a dossier opens from an investigation file only when misuse was confirmed (four-eyes);
- notifying the AP is the default; *not* notifying needs a documented finding and stays
  pending until the FG (role ``fg``, permission ``fg_confirm``) confirms it; the confirming
  user must differ from the decider, and the dossier records who it was;
- with a high or very high severity, not informing the people needs an Art. 34(3) exception;
  a UAVG art. 41 postponement needs a review date;
- a notification after the 72 hours needs a reason for the delay; additions follow the
  initial notification (Art. 33(4));
- a dossier closes only when assessed, notified (or not notifying confirmed), the people's
  question decided at high risk, and a measure recorded.

Services never commit; the caller owns the transaction. Every act writes a timeline entry on
the breach and an audit entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from schildwacht.app.audit.service import append
from schildwacht.app.auth.models import User, UserRecord
from schildwacht.app.auth.roles import Permission
from schildwacht.app.base import as_utc, utc_now
from schildwacht.app.breaches import deadline
from schildwacht.app.breaches.affected import (
    affected_from_alerts,
    affected_from_events,
    nobody_yet,
    stored_alerts,
)
from schildwacht.app.breaches.models import (
    HIGH_BANDS,
    Art34Exception,
    Breach,
    BreachDecision,
    BreachDecisionRecord,
    BreachEvent,
    BreachEventRecord,
    BreachMeasure,
    BreachMeasureRecord,
    BreachNotice,
    BreachNoticeRecord,
    BreachOrigin,
    BreachRecord,
    BreachStatus,
    DecisionKind,
    DecisionState,
    EventKind,
    MeasureKind,
    NoticePhase,
)
from schildwacht.app.breaches.severity import SeverityAssessment, member
from schildwacht.app.dossiers.models import DossierAlertRecord, DossierRecord
from schildwacht.app.triage.models import AlertDecisionRecord
from schildwacht.app.triage.models import DecisionState as AlertDecisionState
from schildwacht.errors import Conflict, NotFound, PermissionDenied, UserError
from schildwacht.store.store import Store

MISUSE_CONFIRMED = "misbruik_bevestigd"
"""The triage resolution that makes an investigation file a breach (``TriageSettings``)."""


def _require(user: User, permission: Permission = Permission.breach_handle) -> None:
    if not user.can(permission):
        raise PermissionDenied(f"uw rol staat dit niet toe ({permission.value})")


def _stamp(now: datetime | None) -> datetime:
    return as_utc(now, "now") if now is not None else utc_now()


def _text(value: str | None, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise UserError(message)
    return text


def _row(session: Session, breach_id: int) -> BreachRecord:
    row = session.get(BreachRecord, breach_id)
    if row is None:
        raise NotFound(f"datalek {breach_id} bestaat niet")
    return row


def _record(
    session: Session, row: BreachRecord, user: User, kind: EventKind, text: str, action: str,
    details: dict[str, Any], client: str | None, at: datetime,
) -> None:  # fmt: skip
    """One timeline entry and one audit entry, in the caller's transaction."""
    session.add(BreachEventRecord(
        breach_id=row.breach_id, at=at, author_id=user.user_id, kind=kind.value, text=text,
        details=details,
    ))  # fmt: skip
    append(
        session, actor=user.username, action=action, target=f"breach:{row.breach_id}",
        details=details | ({"text": text} if text else {}), client=client, now=at,
    )  # fmt: skip
    session.flush()


# --- Opening -------------------------------------------------------------------------------


def _open(
    session: Session, *, user: User, title: str, origin: BreachOrigin, aware_at: datetime,
    note: str, dossier_id: int | None, employee_id: str | None, affected: dict[str, Any],
    client: str | None, now: datetime | None,
) -> Breach:  # fmt: skip
    at = _stamp(now)
    aware = as_utc(aware_at, "aware_at")  # a naive time would move the legal deadline
    if aware > at:
        raise UserError("het moment van kennisname ligt in de toekomst")
    row = BreachRecord(
        title=_text(title, "Een datalek heeft een titel nodig.")[:200], origin=origin.value,
        dossier_id=dossier_id, employee_id=employee_id, aware_at=aware,
        aware_note=_text(note, "Leg vast waarop het moment van kennisname berust."),
        status=BreachStatus.open.value, created_by=user.user_id, created_at=at,
        affected=affected,
    )  # fmt: skip
    session.add(row)
    session.flush()
    details = {"origin": origin.value, "dossier": dossier_id, "aware_at": aware.isoformat()}
    _record(session, row, user, EventKind.opened, row.aware_note, "breach_opened", details,
            client, at)  # fmt: skip
    return get_breach(session, breach_id=row.breach_id, user=user)


def confirmed_misuse(session: Session, dossier_id: int) -> list[str]:
    """The dossier's alerts closed as confirmed misuse (four-eyes decision in force)."""
    query = (
        sa.select(AlertDecisionRecord.alert_id)
        .join(DossierAlertRecord, DossierAlertRecord.alert_id == AlertDecisionRecord.alert_id)
        .where(
            DossierAlertRecord.dossier_id == dossier_id,
            AlertDecisionRecord.resolution == MISUSE_CONFIRMED,
            AlertDecisionRecord.state == AlertDecisionState.confirmed.value,
        )
    )
    return sorted(set(session.execute(query).scalars()))


def breach_of_dossier(session: Session, dossier_id: int) -> int | None:
    """The breach opened from this investigation file, if any (one per file)."""
    taken = sa.select(BreachRecord.breach_id).where(BreachRecord.dossier_id == dossier_id)
    return session.execute(taken).scalar()


def open_from_dossier(
    session: Session, *, dossier_id: int, user: User, aware_at: datetime, note: str,
    title: str | None = None, store: Store | None = None, client: str | None = None,
    now: datetime | None = None,
) -> Breach:  # fmt: skip
    """A breach dossier for an investigation file whose misuse was confirmed.

    Only the confirmed alerts count for the affected people: a dismissed alert in the same
    file is no part of the breach. With the event ``store`` the people are counted from the
    evidence events; without it, from the alerts (``affected`` explains both).
    """
    _require(user)
    dossier = session.get(DossierRecord, dossier_id)
    if dossier is None:
        raise NotFound(f"dossier {dossier_id} bestaat niet")
    alert_ids = confirmed_misuse(session, dossier_id)
    if not alert_ids:
        raise UserError(
            f"dossier {dossier_id} heeft geen melding afgesloten als bevestigd misbruik; "
            "open een datalek met de hand als het lek op een andere manier vaststaat"
        )
    if (existing := breach_of_dossier(session, dossier_id)) is not None:
        raise Conflict(f"dossier {dossier_id} heeft al datalek {existing}")
    return _open(
        session, user=user, title=title or dossier.title, origin=BreachOrigin.dossier,
        aware_at=aware_at, note=note, dossier_id=dossier_id, employee_id=dossier.employee_id,
        affected=_affected(session, alert_ids, store), client=client, now=now,
    )  # fmt: skip


def _affected(session: Session, alert_ids: list[str], store: Store | None) -> dict[str, Any]:
    if store is None:
        return affected_from_alerts(session, alert_ids).as_dict()
    return affected_from_events(store, stored_alerts(session, alert_ids)).as_dict()


def recount_affected(
    session: Session, *, breach_id: int, user: User, store: Store,
    client: str | None = None, now: datetime | None = None,
) -> Breach:  # fmt: skip
    """Count the affected people again from the evidence events of the breach's alerts
    (after detection added evidence, or for a dossier opened before the events were read)."""
    _require(user)
    alert_ids = list(_open_row(session, breach_id).affected.get("alert_ids", []))
    if not alert_ids:
        raise UserError("dit datalek heeft geen meldingen: leg de getroffen personen zelf vast")
    return update_affected(
        session, breach_id=breach_id, user=user, client=client, now=now,
        affected=affected_from_events(store, stored_alerts(session, alert_ids)).as_dict(),
    )  # fmt: skip


def open_by_hand(
    session: Session, *, origin: BreachOrigin | str, title: str, user: User,
    aware_at: datetime, note: str, employee_id: str | None = None,
    client: str | None = None, now: datetime | None = None,
) -> Breach:  # fmt: skip
    """A breach dossier from a citizen's tip, the Rijksrecherche, a manager or otherwise:
    when they supply the facts, awareness is about the moment of the signal (§3)."""
    _require(user)
    source = member(BreachOrigin, origin, "herkomst")
    if source == BreachOrigin.dossier:
        raise UserError("een datalek uit een dossier opent u vanuit dat dossier")
    return _open(
        session, user=user, title=title, origin=source, aware_at=aware_at, note=note,
        dossier_id=None, employee_id=(employee_id or "").strip() or None,
        affected=nobody_yet().as_dict(), client=client, now=now,
    )  # fmt: skip


# --- Assessment and decisions ----------------------------------------------------------------


def _open_row(session: Session, breach_id: int) -> BreachRecord:
    row = _row(session, breach_id)
    if row.status == BreachStatus.closed:
        raise Conflict(f"datalek {breach_id} is gesloten")
    return row


def record_severity(
    session: Session, *, breach_id: int, user: User, assessment: SeverityAssessment,
    reason: str, client: str | None = None, now: datetime | None = None,
) -> Breach:  # fmt: skip
    """Store an ENISA assessment and the reasoning behind it (§8: ENISA inputs are part of
    the register). ``severity.assess`` already refused a changed DPC without a reason."""
    _require(user)
    row = _open_row(session, breach_id)
    text = _text(reason, "Licht de beoordeling van de ernst toe.")
    row.severity, row.severity_reason = assessment.as_dict(), text
    details = {"score": assessment.score, "band": assessment.band.value, "dpc": assessment.dpc}
    _record(session, row, user, EventKind.severity, text, "breach_severity_recorded", details,
            client, _stamp(now))  # fmt: skip
    return get_breach(session, breach_id=breach_id, user=user)


def _check_decision(
    row: BreachRecord, kind: DecisionKind, value: bool, exception: Art34Exception | None,
    review_on: date | None, at: datetime,
) -> None:  # fmt: skip
    """The rules of §6 and §7 that a single decision must meet on its own."""
    if kind == DecisionKind.inform_subjects and not value:
        if row.severity is None:
            raise UserError("beoordeel eerst de ernst: pas dan is te zeggen of informeren hoeft")
        if row.severity["band"] in HIGH_BANDS and exception is None:
            raise UserError(
                "bij een hoog risico moeten de betrokkenen worden geïnformeerd, tenzij een "
                "uitzondering van art. 34 lid 3 AVG geldt (a, b of c)"
            )
    if exception is not None and (kind != DecisionKind.inform_subjects or value):
        raise UserError("een uitzondering (art. 34 lid 3) hoort bij 'betrokkenen niet informeren'")
    if kind == DecisionKind.postpone_art41 and value:
        if review_on is None:
            raise UserError("uitstel op grond van art. 41 UAVG vraagt een datum van herbeoordeling")
        if review_on <= at.astimezone(deadline.AMSTERDAM).date():
            raise UserError("de datum van herbeoordeling moet in de toekomst liggen")
    elif review_on is not None:
        raise UserError("een datum van herbeoordeling hoort alleen bij uitstel (art. 41 UAVG)")


def _supersede(session: Session, breach_id: int, kind: DecisionKind) -> None:
    session.execute(
        sa.update(BreachDecisionRecord)
        .where(
            BreachDecisionRecord.breach_id == breach_id,
            BreachDecisionRecord.kind == kind.value,
            BreachDecisionRecord.state != DecisionState.superseded.value,
        )
        .values(state=DecisionState.superseded.value)
    )


def decide(
    session: Session, *, breach_id: int, user: User, kind: DecisionKind | str, value: bool,
    reason: str, review_on: date | None = None, exception: Art34Exception | str | None = None,
    client: str | None = None, now: datetime | None = None,
) -> BreachDecision:  # fmt: skip
    """Record a decision with its reason; it replaces the earlier one of the same kind.

    Deciding *not* to notify the AP needs a documented finding that the breach is unlikely
    to result in a risk, and stays ``pending_fg`` until ``confirm_decision``: until then the
    AP is still to be notified and the clock runs on.
    """
    _require(user)
    what = member(DecisionKind, kind, "besluit")
    exc = None if exception is None else member(Art34Exception, exception, "uitzondering")
    row = _open_row(session, breach_id)
    at = _stamp(now)
    _check_decision(row, what, value, exc, review_on, at)
    text = _text(reason, "Elk besluit vraagt een toelichting: leg vast waarom.")
    needs_fg = what == DecisionKind.notify_ap and not value
    _supersede(session, breach_id, what)
    decision = BreachDecisionRecord(
        breach_id=breach_id, kind=what.value, value=value, reason=text,
        exception=exc.value if exc else None,
        state=(DecisionState.pending_fg if needs_fg else DecisionState.in_force).value,
        decided_by=user.user_id, decided_at=at, review_on=review_on,
    )  # fmt: skip
    session.add(decision)
    session.flush()
    details = {
        "decision": decision.decision_id, "kind": what.value, "value": value,
        "state": decision.state, "exception": decision.exception,
        "review_on": review_on.isoformat() if review_on else None,
    }  # fmt: skip
    action = "breach_decision_proposed" if needs_fg else "breach_decision_made"
    _record(session, row, user, EventKind.decision, text, action, details, client, at)
    return _decisions(session, breach_id, decision.decision_id)[0]


def confirm_decision(
    session: Session, *, breach_id: int, decision_id: int, user: User, note: str = "",
    client: str | None = None, now: datetime | None = None,
) -> BreachDecision:  # fmt: skip
    """The FG confirms the decision not to notify the AP (``BREACH.md`` §6)."""
    _require(user, Permission.fg_confirm)
    row = _open_row(session, breach_id)
    decision = session.get(BreachDecisionRecord, decision_id)
    if decision is None or decision.breach_id != breach_id:
        raise NotFound(f"besluit {decision_id} bestaat niet")
    if decision.state != DecisionState.pending_fg:
        raise Conflict(f"besluit {decision_id} wacht niet op bevestiging ({decision.state})")
    if decision.decided_by == user.user_id:
        raise PermissionDenied("wie het besluit nam, kan het niet zelf als FG bevestigen")
    at = _stamp(now)
    decision.state, decision.confirmed_by, decision.confirmed_at = (
        DecisionState.in_force.value, user.user_id, at,
    )  # fmt: skip
    details = {"decision": decision_id, "kind": decision.kind, "value": decision.value}
    _record(session, row, user, EventKind.confirmation, note.strip(),
            "breach_decision_confirmed", details, client, at)  # fmt: skip
    return _decisions(session, breach_id, decision_id)[0]


# --- Notification and the clock -------------------------------------------------------------


def mark_notified(
    session: Session, *, breach_id: int, user: User, notified_at: datetime,
    delay_reason: str | None = None, ap_reference: str | None = None, note: str = "",
    content: Mapping[str, Any] | None = None, client: str | None = None,
    now: datetime | None = None,
) -> Breach:  # fmt: skip
    """Record the initial notification to the AP at ``notified_at`` (entered by a person:
    there is no AP API). After 72 hours from awareness the reason for the delay is required.
    ``content`` is the draft as sent (``notification.build_draft(...).as_json()``)."""
    _require(user)
    row = _open_row(session, breach_id)
    if row.status != BreachStatus.open:
        raise Conflict(f"datalek {breach_id} is al gemeld; stuur een aanvulling")
    if not get_breach(session, breach_id=breach_id, user=user).notify_ap:
        raise Conflict("besloten is niet te melden; neem eerst een nieuw besluit")
    at, sent = _stamp(now), as_utc(notified_at, "notified_at")
    if sent < row.aware_at or sent > at:
        raise UserError("het moment van melden ligt vóór de kennisname of in de toekomst")
    deadline.check_delay_reason(row.aware_at, sent, delay_reason)
    row.status, row.notified_at = BreachStatus.notified.value, sent
    row.delay_reason = (delay_reason or "").strip() or None
    late = deadline.needs_delay_reason(row.aware_at, sent)
    _notice(session, row, user, NoticePhase.initial, sent, ap_reference, note, late, content)
    details = {"notified_at": sent.isoformat(), "late": late, "phase": "initial",
               "ap_reference": _reference(ap_reference)}  # fmt: skip
    _record(session, row, user, EventKind.notified, row.delay_reason or note.strip(),
            "breach_notified", details, client, at)  # fmt: skip
    return get_breach(session, breach_id=breach_id, user=user)


def _reference(ap_reference: str | None) -> str | None:
    return (ap_reference or "").strip()[:64] or None


def _notice(
    session: Session, row: BreachRecord, user: User, phase: NoticePhase, sent: datetime,
    ap_reference: str | None, note: str, late: bool, content: Mapping[str, Any] | None,
) -> None:  # fmt: skip
    session.add(BreachNoticeRecord(
        breach_id=row.breach_id, phase=phase.value, sent_at=sent, sent_by=user.user_id,
        ap_reference=_reference(ap_reference), note=note.strip(), late=late,
        content=dict(content or {}),
    ))  # fmt: skip


def add_addition(
    session: Session, *, breach_id: int, user: User, sent_at: datetime, note: str,
    ap_reference: str | None = None, content: Mapping[str, Any] | None = None,
    client: str | None = None, now: datetime | None = None,
) -> Breach:  # fmt: skip
    """Record an addition to the notification (Art. 33(4): 'in phases without undue further
    delay'; the AP form's follow-up). It says what it adds, and refers to the initial one."""
    _require(user)
    row = _open_row(session, breach_id)
    if row.status != BreachStatus.notified or row.notified_at is None:
        raise Conflict("een aanvulling volgt op een eerste melding; meld eerst")
    at, sent = _stamp(now), as_utc(sent_at, "sent_at")
    if sent < row.notified_at or sent > at:
        raise UserError("een aanvulling ligt na de eerste melding en niet in de toekomst")
    text = _text(note, "Zeg wat de aanvulling toevoegt of verbetert.")
    known = _first_reference(session, breach_id)  # an addition refers to the first
    _notice(session, row, user, NoticePhase.addition, sent, ap_reference or known or None,
            text, False, content)  # fmt: skip
    details = {"sent_at": sent.isoformat(), "phase": "addition"}
    _record(session, row, user, EventKind.notified, text, "breach_notice_added", details,
            client, at)  # fmt: skip
    return get_breach(session, breach_id=breach_id, user=user)


def _first_reference(session: Session, breach_id: int) -> str | None:
    query = (
        sa.select(BreachNoticeRecord.ap_reference)
        .where(BreachNoticeRecord.breach_id == breach_id)
        .order_by(BreachNoticeRecord.notice_id)
    )
    return session.execute(query.limit(1)).scalar()


# --- Particulars, measures, the people affected, closing -------------------------------------


def record_particulars(
    session: Session, *, breach_id: int, user: User, particulars: Mapping[str, Any],
    client: str | None = None, now: datetime | None = None,
) -> Breach:  # fmt: skip
    """Store the AP form's answers only a person can give (``notification.parse_particulars``
    checked them); the whole set replaces the earlier one, and the timeline says which
    fields changed."""
    _require(user)
    row = _open_row(session, breach_id)
    before = dict(row.particulars or {})
    after = dict(particulars)
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    if not changed:
        return get_breach(session, breach_id=breach_id, user=user)
    row.particulars = after
    _record(session, row, user, EventKind.particulars, "", "breach_particulars_recorded",
            {"fields": changed}, client, _stamp(now))  # fmt: skip
    return get_breach(session, breach_id=breach_id, user=user)


def add_measure(
    session: Session, *, breach_id: int, user: User, kind: MeasureKind | str, text: str,
    taken_on: date, client: str | None = None, now: datetime | None = None,
) -> Breach:  # fmt: skip
    """Record a measure taken (Art. 33(3)(d) and (5); the AP form's 10.2)."""
    _require(user)
    what = member(MeasureKind, kind, "soort maatregel")
    row = _open_row(session, breach_id)
    at = _stamp(now)
    if taken_on > at.astimezone(deadline.AMSTERDAM).date():
        raise UserError("een genomen maatregel heeft geen datum in de toekomst")
    body = _text(text, "Beschrijf de maatregel.")
    session.add(BreachMeasureRecord(
        breach_id=breach_id, kind=what.value, text=body, taken_on=taken_on,
        recorded_by=user.user_id, recorded_at=at,
    ))  # fmt: skip
    _record(session, row, user, EventKind.measure, body, "breach_measure_recorded",
            {"kind": what.value, "taken_on": taken_on.isoformat()}, client, at)  # fmt: skip
    return get_breach(session, breach_id=breach_id, user=user)


def update_affected(
    session: Session, *, breach_id: int, user: User, affected: Mapping[str, Any],
    client: str | None = None, now: datetime | None = None,
) -> Breach:  # fmt: skip
    """Replace the affected-people summary (e.g. recounted from the evidence events)."""
    _require(user)
    row = _open_row(session, breach_id)
    row.affected = dict(affected)
    details = {"people": row.affected.get("people"), "records": row.affected.get("records")}
    _record(session, row, user, EventKind.affected, "", "breach_affected_updated", details,
            client, _stamp(now))  # fmt: skip
    return get_breach(session, breach_id=breach_id, user=user)


def record_letters_sent(
    session: Session, *, breach_id: int, user: User, count: int, sent_on: date,
    client: str | None = None, now: datetime | None = None,
) -> Breach:  # fmt: skip
    """Record that the people were informed by letter (Art. 34; AP form 10.1): the timeline
    says when and how many, and the AP form's answers follow (informed: yes, by letter)."""
    _require(user)
    row = _open_row(session, breach_id)
    at = _stamp(now)
    if count < 1:
        raise UserError("verstuurde brieven: vul het aantal in (ten minste 1)")
    if sent_on > at.astimezone(deadline.AMSTERDAM).date():
        raise UserError("verstuurde brieven: de datum ligt in de toekomst")
    decided = get_breach(session, breach_id=breach_id, user=user)
    inform = decided.in_force(DecisionKind.inform_subjects)
    if inform is None or not inform.value:
        raise Conflict("besluit eerst de betrokkenen te informeren (artikel 34 AVG)")
    postponed = decided.in_force(DecisionKind.postpone_art41)
    if postponed is not None and postponed.value:
        raise Conflict("informeren is uitgesteld (artikel 41 UAVG); herzie eerst dat besluit")
    particulars = dict(row.particulars or {})
    channels = list(dict.fromkeys([*particulars.get("follow_up.informed_how", []), "letter"]))
    particulars |= {"follow_up.informed": "yes", "follow_up.informed_count": count,
                    "follow_up.informed_how": channels}  # fmt: skip
    row.particulars = particulars
    text = f"{count} brief/brieven verstuurd op {sent_on.isoformat()}"
    _record(session, row, user, EventKind.letters, text, "breach_letters_sent",
            {"count": count, "sent_on": sent_on.isoformat()}, client, at)  # fmt: skip
    return get_breach(session, breach_id=breach_id, user=user)


def closing_refusals(breach: Breach) -> list[str]:
    """Why this dossier cannot be closed yet, in Dutch; empty when it can."""
    refusals = []
    if breach.severity is None:
        refusals.append("de ernst is niet beoordeeld")
    if breach.status == BreachStatus.open and breach.notify_ap:
        refusals.append("de AP is nog niet gemeld (of niet melden is niet bevestigd door de FG)")
    if breach.band in HIGH_BANDS and breach.in_force(DecisionKind.inform_subjects) is None:
        refusals.append("bij hoog risico is nog niet besloten over het informeren van betrokkenen")
    if not breach.measures:
        refusals.append("er is nog geen genomen maatregel vastgelegd")
    return refusals


def close_breach(
    session: Session, *, breach_id: int, user: User, note: str,
    client: str | None = None, now: datetime | None = None,
) -> Breach:  # fmt: skip
    """Close a handled dossier: assessed, notified or not-notifying confirmed, the people's
    question decided, and at least one measure recorded. A closed dossier is read-only."""
    _require(user)
    row = _open_row(session, breach_id)
    refusals = closing_refusals(get_breach(session, breach_id=breach_id, user=user))
    if refusals:
        raise UserError("het datalek kan nog niet worden gesloten: " + "; ".join(refusals))
    at = _stamp(now)
    row.closing_note = _text(note, "Vat bij het sluiten samen hoe het datalek is afgehandeld.")
    row.status, row.closed_at = BreachStatus.closed.value, at
    _record(session, row, user, EventKind.closed, row.closing_note, "breach_closed", {},
            client, at)  # fmt: skip
    return get_breach(session, breach_id=breach_id, user=user)


def clock(session: Session, *, breach_id: int, now: datetime) -> deadline.ClockStatus:
    """The 72-hour clock of the breach at ``now``; once notified, the clock stopped at the
    notification (so a late notification stays ``overdue``)."""
    row = _row(session, breach_id)
    return deadline.clock_status(row.aware_at, row.notified_at or now)


# --- Reading --------------------------------------------------------------------------------


def _usernames(session: Session, ids: Iterable[int | None]) -> dict[int | None, str]:
    wanted = {i for i in ids if i is not None}
    query = sa.select(UserRecord.user_id, UserRecord.username)
    rows = session.execute(query.where(UserRecord.user_id.in_(wanted)))
    return {uid: name for uid, name in rows}


def _decision(r: BreachDecisionRecord, names: dict[int | None, str]) -> BreachDecision:
    return BreachDecision(
        r.decision_id, r.kind, r.value, r.reason, r.exception, r.state, names[r.decided_by],
        r.decided_at, names.get(r.confirmed_by), r.confirmed_at, r.review_on,
    )  # fmt: skip


def _decisions(
    session: Session, breach_id: int, decision_id: int | None = None
) -> list[BreachDecision]:
    query = sa.select(BreachDecisionRecord).where(BreachDecisionRecord.breach_id == breach_id)
    if decision_id is not None:
        query = query.where(BreachDecisionRecord.decision_id == decision_id)
    rows = list(session.execute(query.order_by(BreachDecisionRecord.decision_id)).scalars())
    names = _usernames(session, [*(r.decided_by for r in rows), *(r.confirmed_by for r in rows)])
    return [_decision(r, names) for r in rows]


def _events(session: Session, breach_id: int) -> list[BreachEvent]:
    query = (
        sa.select(BreachEventRecord)
        .where(BreachEventRecord.breach_id == breach_id)
        .order_by(BreachEventRecord.at, BreachEventRecord.event_id)
    )
    rows = list(session.execute(query).scalars())
    names = _usernames(session, {r.author_id for r in rows})
    return [
        BreachEvent(r.event_id, r.at, names[r.author_id], r.kind, r.text, dict(r.details))
        for r in rows
    ]


def _measures(session: Session, breach_id: int) -> list[BreachMeasure]:
    query = sa.select(BreachMeasureRecord).where(BreachMeasureRecord.breach_id == breach_id)
    rows = list(session.execute(query.order_by(BreachMeasureRecord.measure_id)).scalars())
    names = _usernames(session, {r.recorded_by for r in rows})
    return [
        BreachMeasure(r.measure_id, r.kind, r.text, r.taken_on, names[r.recorded_by], r.recorded_at)
        for r in rows
    ]


def _notices(session: Session, breach_id: int) -> list[BreachNotice]:
    query = sa.select(BreachNoticeRecord).where(BreachNoticeRecord.breach_id == breach_id)
    rows = list(session.execute(query.order_by(BreachNoticeRecord.notice_id)).scalars())
    names = _usernames(session, {r.sent_by for r in rows})
    return [
        BreachNotice(
            r.notice_id,
            r.phase,
            r.sent_at,
            names[r.sent_by],
            r.ap_reference,
            r.note,
            r.late,
            dict(r.content),
        )
        for r in rows
    ]


def _breach(session: Session, r: BreachRecord, full: bool) -> Breach:
    creator = _usernames(session, {r.created_by})[r.created_by]
    return Breach(
        r.breach_id, r.title, r.origin, r.dossier_id, r.employee_id, r.aware_at, r.aware_note,
        r.status, creator, r.created_at, r.notified_at, r.delay_reason,
        dict(r.severity) if r.severity is not None else None, r.severity_reason, dict(r.affected),
        tuple(_events(session, r.breach_id)) if full else (),
        tuple(_decisions(session, r.breach_id)),
        particulars=dict(r.particulars or {}),
        measures=tuple(_measures(session, r.breach_id)),
        notices=tuple(_notices(session, r.breach_id)),
        closed_at=r.closed_at, closing_note=r.closing_note,
    )  # fmt: skip


def get_breach(session: Session, *, breach_id: int, user: User) -> Breach:
    """One breach dossier with its timeline and decisions."""
    _require(user, Permission.breaches)
    return _breach(session, _row(session, breach_id), full=True)


def list_breaches(
    session: Session, *, user: User, status: Sequence[BreachStatus | str] = ()
) -> list[Breach]:
    """Every breach (the register's rows), newest awareness first; with decisions, measures
    and notices, without the timeline."""
    _require(user, Permission.breaches)
    query = sa.select(BreachRecord).order_by(
        BreachRecord.aware_at.desc(), BreachRecord.breach_id.desc()
    )
    if status:
        query = query.where(BreachRecord.status.in_([str(s) for s in status]))
    return [_breach(session, r, full=False) for r in session.execute(query).scalars()]

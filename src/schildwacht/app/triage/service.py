"""The investigation workflow: ``nieuw`` -> ``in_onderzoek`` -> ``afgesloten``.

Closing needs a resolution from the configured list and a note. Closing as a four-eyes
resolution (``misbruik bevestigd`` by default), or dismissing an alert with a high score,
only proposes the decision: a second privacy officer, not the proposer, must confirm it
before the alert is closed. Every act writes a history note on the alert and an audit entry.

Services never commit; the caller owns the transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from schildwacht.app.alerts.models import AlertRecord, AlertStatus
from schildwacht.app.audit.service import append
from schildwacht.app.auth.models import User, UserRecord
from schildwacht.app.auth.roles import Permission
from schildwacht.app.base import as_utc, utc_now
from schildwacht.app.triage.models import (
    AlertDecision,
    AlertDecisionRecord,
    AlertNote,
    AlertNoteRecord,
    DecisionState,
    NoteKind,
)
from schildwacht.config import TriageSettings
from schildwacht.errors import Conflict, NotFound, PermissionDenied, UserError


def resolution_label(code: str) -> str:
    """``legitiem_zaak_niet_geregistreerd`` -> ``legitiem - zaak niet geregistreerd``."""
    if code.startswith("legitiem_"):
        return "legitiem - " + code.removeprefix("legitiem_").replace("_", " ")
    return code.replace("_", " ")


def _require(user: User, permission: Permission) -> None:
    if not user.can(permission):
        raise PermissionDenied(f"uw rol staat dit niet toe ({permission.value})")


def _alert(session: Session, alert_id: str) -> AlertRecord:
    row = session.get(AlertRecord, alert_id)
    if row is None:
        raise NotFound(f"melding {alert_id} bestaat niet")
    return row


def _stamp(now: datetime | None) -> datetime:
    return as_utc(now, "now") if now is not None else utc_now()


def _record(
    session: Session,
    *,
    alert: AlertRecord,
    user: User,
    kind: NoteKind,
    text: str,
    action: str,
    details: dict[str, Any],
    client: str | None,
    at: datetime,
) -> None:
    """One history note on the alert and one audit entry, in the caller's transaction."""
    session.add(
        AlertNoteRecord(
            alert_id=alert.alert_id, at=at, author_id=user.user_id, kind=kind.value,
            text=text, details=details,
        )
    )  # fmt: skip
    append(
        session, actor=user.username, action=action, target=f"alert:{alert.alert_id}",
        details=details | ({"text": text} if text else {}), client=client, now=at,
    )  # fmt: skip


def start_investigation(
    session: Session, *, alert_id: str, user: User, client: str | None = None,
    now: datetime | None = None,
) -> None:  # fmt: skip
    """Move a new alert to ``in_onderzoek``."""
    _require(user, Permission.alerts_triage)
    alert = _alert(session, alert_id)
    if alert.status != AlertStatus.nieuw:
        raise Conflict(f"melding {alert_id} is al {alert.status}")
    _set_status(session, alert, AlertStatus.in_onderzoek, user, "", client, _stamp(now))


def _set_status(
    session: Session, alert: AlertRecord, status: AlertStatus, user: User, text: str,
    client: str | None, at: datetime,
) -> None:  # fmt: skip
    previous = alert.status
    alert.status = status.value
    alert.updated_at = at
    _record(
        session, alert=alert, user=user, kind=NoteKind.status, text=text,
        action="status_changed", details={"from": previous, "to": status.value},
        client=client, at=at,
    )  # fmt: skip


def assign(
    session: Session, *, alert_id: str, user: User, assignee: str | None,
    client: str | None = None, now: datetime | None = None,
) -> None:  # fmt: skip
    """Give the alert to an investigator (a user who may triage), or take it away (None)."""
    _require(user, Permission.alerts_triage)
    alert = _alert(session, alert_id)
    target: UserRecord | None = None
    if assignee:
        target = session.execute(
            sa.select(UserRecord).where(UserRecord.username == assignee.strip().lower())
        ).scalar_one_or_none()
        if target is None or not target.active:
            raise UserError(f"geen actieve gebruiker {assignee!r}")
        if not User.from_record(target).can(Permission.alerts_triage):
            raise UserError(f"{target.username} mag geen meldingen onderzoeken")
    alert.assignee_id = target.user_id if target else None
    at = _stamp(now)
    alert.updated_at = at
    _record(
        session, alert=alert, user=user, kind=NoteKind.assignment, text="",
        action="assigned", details={"assignee": target.username if target else None},
        client=client, at=at,
    )  # fmt: skip


def add_comment(
    session: Session, *, alert_id: str, user: User, text: str, client: str | None = None,
    now: datetime | None = None,
) -> None:  # fmt: skip
    _require(user, Permission.alerts_triage)
    body = text.strip()
    if not body:
        raise UserError("Een opmerking mag niet leeg zijn.")
    alert = _alert(session, alert_id)
    _record(
        session, alert=alert, user=user, kind=NoteKind.comment, text=body[:5000],
        action="comment_added", details={}, client=client, at=_stamp(now),
    )  # fmt: skip


def needs_four_eyes(resolution: str, score: float, rules: TriageSettings) -> bool:
    """Confirmed misuse always; dismissing a high-scoring alert too."""
    return resolution in rules.four_eyes_resolutions or score >= rules.four_eyes_min_score


def propose_close(
    session: Session, *, alert_id: str, user: User, resolution: str, note: str,
    rules: TriageSettings, client: str | None = None, now: datetime | None = None,
) -> AlertDecision:  # fmt: skip
    """Close the alert, or, when four-eyes applies, propose closing it."""
    _require(user, Permission.alerts_decide)
    if resolution not in rules.resolutions:
        raise UserError(f"onbekende afhandeling {resolution!r}")
    text = note.strip()
    if not text:
        raise UserError("Een toelichting is verplicht bij het afsluiten.")
    alert = _alert(session, alert_id)
    if alert.status == AlertStatus.afgesloten:
        raise Conflict(f"melding {alert_id} is al afgesloten")
    if pending_decision(session, alert_id=alert_id) is not None:
        raise Conflict("er wacht al een besluit op bevestiging door een tweede privacy officer")
    at = _stamp(now)
    second = needs_four_eyes(resolution, alert.score, rules)
    row = AlertDecisionRecord(
        alert_id=alert_id, resolution=resolution, note=text, needs_second=second,
        state=(DecisionState.pending if second else DecisionState.confirmed).value,
        proposed_by=user.user_id, proposed_at=at,
    )  # fmt: skip
    session.add(row)
    session.flush()
    details = {"decision": row.decision_id, "resolution": resolution, "four_eyes": second}
    _record(
        session, alert=alert, user=user, kind=NoteKind.decision, text=text,
        action="decision_proposed" if second else "decision_made", details=details,
        client=client, at=at,
    )  # fmt: skip
    if second:
        if alert.status == AlertStatus.nieuw:
            _set_status(session, alert, AlertStatus.in_onderzoek, user, "", client, at)
    else:
        _set_status(session, alert, AlertStatus.afgesloten, user, "", client, at)
    return AlertDecision.from_record(row)


def _pending(
    session: Session, decision_id: int, user: User, alert_id: str | None
) -> AlertDecisionRecord:
    """The pending decision, when ``user`` may give the second opinion on it.

    ``alert_id``, when given, must be the decision's alert: a form or API call about one
    alert must not act on a decision about another.
    """
    _require(user, Permission.alerts_decide)
    row = session.get(AlertDecisionRecord, decision_id)
    if row is None or (alert_id is not None and row.alert_id != alert_id):
        raise NotFound(f"besluit {decision_id} bestaat niet")
    if row.state != DecisionState.pending:
        raise Conflict(f"besluit {decision_id} wacht niet op bevestiging ({row.state})")
    if row.proposed_by == user.user_id:
        raise PermissionDenied(
            "vier-ogenprincipe: een tweede privacy officer moet dit besluit bevestigen"
        )
    return row


def confirm_decision(
    session: Session, *, decision_id: int, user: User, note: str = "",
    alert_id: str | None = None, client: str | None = None, now: datetime | None = None,
) -> AlertDecision:  # fmt: skip
    """The second privacy officer agrees: the decision takes effect and the alert closes."""
    row = _pending(session, decision_id, user, alert_id)
    return _second(session, row, user, note, DecisionState.confirmed, client, _stamp(now))


def reject_decision(
    session: Session, *, decision_id: int, user: User, note: str,
    alert_id: str | None = None, client: str | None = None, now: datetime | None = None,
) -> AlertDecision:  # fmt: skip
    """The second privacy officer disagrees (with a reason); the alert stays open."""
    if not note.strip():
        raise UserError("Geef aan waarom u het besluit niet bevestigt.")
    row = _pending(session, decision_id, user, alert_id)
    return _second(session, row, user, note, DecisionState.rejected, client, _stamp(now))


def _second(
    session: Session, row: AlertDecisionRecord, user: User, note: str, state: DecisionState,
    client: str | None, at: datetime,
) -> AlertDecision:  # fmt: skip
    row.state, row.second_by, row.second_at = state.value, user.user_id, at
    row.second_note = note.strip() or None
    alert = _alert(session, row.alert_id)
    action = "decision_confirmed" if state == DecisionState.confirmed else "decision_rejected"
    _record(
        session, alert=alert, user=user, kind=NoteKind.decision, text=note.strip(),
        action=action, details={"decision": row.decision_id, "resolution": row.resolution},
        client=client, at=at,
    )  # fmt: skip
    if state == DecisionState.confirmed:
        _set_status(session, alert, AlertStatus.afgesloten, user, "", client, at)
    return AlertDecision.from_record(row)


def reopen(
    session: Session, *, alert_id: str, user: User, note: str, client: str | None = None,
    now: datetime | None = None,
) -> None:  # fmt: skip
    """Take a closed alert back into investigation; its decision no longer stands."""
    _require(user, Permission.alerts_decide)
    if not note.strip():
        raise UserError("Geef aan waarom de melding heropend wordt.")
    alert = _alert(session, alert_id)
    if alert.status != AlertStatus.afgesloten:
        raise Conflict(f"melding {alert_id} is niet afgesloten")
    at = _stamp(now)
    session.execute(
        sa.update(AlertDecisionRecord)
        .where(
            AlertDecisionRecord.alert_id == alert_id,
            AlertDecisionRecord.state == DecisionState.confirmed.value,
        )
        .values(state=DecisionState.withdrawn.value)
    )
    _set_status(session, alert, AlertStatus.in_onderzoek, user, note.strip(), client, at)


def pending_decision(session: Session, *, alert_id: str) -> AlertDecision | None:
    query = sa.select(AlertDecisionRecord).where(
        AlertDecisionRecord.alert_id == alert_id,
        AlertDecisionRecord.state == DecisionState.pending.value,
    )
    row = session.execute(query).scalar_one_or_none()
    return AlertDecision.from_record(row) if row else None


def decisions(session: Session, *, alert_id: str) -> list[AlertDecision]:
    query = (
        sa.select(AlertDecisionRecord)
        .where(AlertDecisionRecord.alert_id == alert_id)
        .order_by(AlertDecisionRecord.proposed_at, AlertDecisionRecord.decision_id)
    )
    return [AlertDecision.from_record(r) for r in session.execute(query).scalars()]


def history(session: Session, *, alert_id: str) -> list[AlertNote]:
    query = (
        sa.select(AlertNoteRecord)
        .where(AlertNoteRecord.alert_id == alert_id)
        .order_by(AlertNoteRecord.at, AlertNoteRecord.note_id)
    )
    return [AlertNote.from_record(r) for r in session.execute(query).scalars()]


def awaiting_second(session: Session) -> list[AlertDecision]:
    """Every decision that waits for a second privacy officer (shown on the queue)."""
    query = (
        sa.select(AlertDecisionRecord)
        .where(AlertDecisionRecord.state == DecisionState.pending.value)
        .order_by(AlertDecisionRecord.proposed_at)
    )
    return [AlertDecision.from_record(r) for r in session.execute(query).scalars()]

"""Re-identifying the employee behind one alert: only with a written justification, logged.

A reveal applies to one alert and one privacy officer: a colleague who also needs to know
writes their own justification. The audit trail records every reveal, and the auditor sees
them all.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from schildwacht.app.alerts.models import AlertRecord
from schildwacht.app.audit.service import append
from schildwacht.app.auth.models import User
from schildwacht.app.auth.roles import Permission
from schildwacht.app.base import as_utc, utc_now
from schildwacht.app.people.models import Reveal, RevealRecord
from schildwacht.errors import NotFound, PermissionDenied, UserError

MIN_JUSTIFICATION = 20


def reveal_employee(
    session: Session,
    *,
    alert_id: str,
    user: User,
    justification: str,
    client: str | None = None,
    now: datetime | None = None,
) -> Reveal:
    """Record that ``user`` re-identifies the employee behind ``alert_id``, and why."""
    if not user.can(Permission.reveal):
        raise PermissionDenied("alleen een privacy officer mag een medewerker herleiden")
    text = justification.strip()
    if len(text) < MIN_JUSTIFICATION:
        raise UserError(
            f"Geef een onderbouwing van minstens {MIN_JUSTIFICATION} tekens: waarom moet u "
            "weten wie dit is?"
        )
    if session.get(AlertRecord, alert_id) is None:
        raise NotFound(f"melding {alert_id} bestaat niet")
    at = as_utc(now, "now") if now is not None else utc_now()
    row = RevealRecord(alert_id=alert_id, user_id=user.user_id, justification=text, at=at)
    session.add(row)
    session.flush()
    append(
        session,
        actor=user.username,
        action="reveal",
        target=f"alert:{alert_id}",
        details={"justification": text},
        client=client,
        now=at,
    )
    return Reveal(row.reveal_id, alert_id, user.user_id, text, at)


def has_revealed(session: Session, *, alert_id: str, user: User) -> bool:
    """Whether ``user`` may see the person behind ``alert_id`` (has justified a reveal)."""
    if not user.can(Permission.reveal):
        return False
    query = sa.select(RevealRecord.reveal_id).where(
        RevealRecord.alert_id == alert_id, RevealRecord.user_id == user.user_id
    )
    return session.execute(query.limit(1)).first() is not None


def reveals_of(session: Session, *, alert_id: str) -> list[Reveal]:
    query = (
        sa.select(RevealRecord).where(RevealRecord.alert_id == alert_id).order_by(RevealRecord.at)
    )
    return [
        Reveal(r.reveal_id, r.alert_id, r.user_id, r.justification, r.at)
        for r in session.execute(query).scalars()
    ]

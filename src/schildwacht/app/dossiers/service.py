"""Opening dossiers and adding alerts to them.

Services never commit; the caller owns the transaction. Every change writes an audit entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from schildwacht.app.alerts.models import AlertRecord
from schildwacht.app.audit.service import append
from schildwacht.app.auth.models import User
from schildwacht.app.auth.roles import Permission
from schildwacht.app.base import as_utc, utc_now
from schildwacht.app.dossiers.models import (
    Dossier,
    DossierAlertRecord,
    DossierRecord,
    DossierStatus,
)
from schildwacht.errors import Conflict, NotFound, PermissionDenied, UserError


def _require(user: User) -> None:
    if not user.can(Permission.dossiers):
        raise PermissionDenied("uw rol staat het werken met dossiers niet toe")


def _alerts(session: Session, alert_ids: Sequence[str]) -> list[AlertRecord]:
    rows = list(
        session.execute(sa.select(AlertRecord).where(AlertRecord.alert_id.in_(alert_ids))).scalars()
    )
    missing = sorted(set(alert_ids) - {r.alert_id for r in rows})
    if missing:
        raise NotFound(f"melding(en) bestaan niet: {', '.join(missing)}")
    return rows


def create_dossier(
    session: Session, *, user: User, title: str, alert_ids: Sequence[str],
    description: str = "", client: str | None = None, now: datetime | None = None,
) -> Dossier:  # fmt: skip
    """A new dossier joining ``alert_ids``, which must all be about the same employee."""
    _require(user)
    if not title.strip():
        raise UserError("Een dossier heeft een titel nodig.")
    if not alert_ids:
        raise UserError("Kies minstens één melding voor het dossier.")
    alerts = _alerts(session, list(dict.fromkeys(alert_ids)))
    employees = {a.employee_id for a in alerts}
    if len(employees) != 1:
        raise UserError("Een dossier gaat over één medewerker; deze meldingen betreffen er meer.")
    at = as_utc(now, "now") if now is not None else utc_now()
    row = DossierRecord(
        employee_id=employees.pop(), title=title.strip()[:200], description=description.strip(),
        status=DossierStatus.open.value, created_by=user.user_id, created_at=at, updated_at=at,
    )  # fmt: skip
    session.add(row)
    session.flush()
    for alert in alerts:
        session.add(DossierAlertRecord(
            dossier_id=row.dossier_id, alert_id=alert.alert_id, added_by=user.user_id, added_at=at
        ))  # fmt: skip
    append(
        session, actor=user.username, action="dossier_created", target=f"dossier:{row.dossier_id}",
        details={"alerts": sorted(a.alert_id for a in alerts)}, client=client, now=at,
    )  # fmt: skip
    session.flush()
    return get_dossier(session, dossier_id=row.dossier_id, user=user)


def add_alert(
    session: Session, *, user: User, dossier_id: int, alert_id: str,
    client: str | None = None, now: datetime | None = None,
) -> Dossier:  # fmt: skip
    _require(user)
    row = session.get(DossierRecord, dossier_id)
    if row is None:
        raise NotFound(f"dossier {dossier_id} bestaat niet")
    if row.status != DossierStatus.open:
        raise Conflict(f"dossier {dossier_id} is gesloten")
    (alert,) = _alerts(session, [alert_id])
    if alert.employee_id != row.employee_id:
        raise UserError("Deze melding gaat over een andere medewerker dan het dossier.")
    if session.get(DossierAlertRecord, (dossier_id, alert_id)) is None:
        at = as_utc(now, "now") if now is not None else utc_now()
        session.add(DossierAlertRecord(
            dossier_id=dossier_id, alert_id=alert_id, added_by=user.user_id, added_at=at
        ))  # fmt: skip
        row.updated_at = at
        append(
            session, actor=user.username, action="dossier_alert_added",
            target=f"dossier:{dossier_id}", details={"alert": alert_id}, client=client, now=at,
        )  # fmt: skip
        session.flush()
    return get_dossier(session, dossier_id=dossier_id, user=user)


def get_dossier(session: Session, *, dossier_id: int, user: User) -> Dossier:
    _require(user)
    row = session.get(DossierRecord, dossier_id)
    if row is None:
        raise NotFound(f"dossier {dossier_id} bestaat niet")
    ids = tuple(
        session.execute(
            sa.select(DossierAlertRecord.alert_id)
            .where(DossierAlertRecord.dossier_id == dossier_id)
            .order_by(DossierAlertRecord.added_at, DossierAlertRecord.alert_id)
        ).scalars()
    )
    return Dossier.from_record(row, ids)


def list_dossiers(session: Session, *, user: User, employee_id: str | None = None) -> list[Dossier]:
    _require(user)
    query = sa.select(DossierRecord).order_by(DossierRecord.updated_at.desc())
    if employee_id is not None:
        query = query.where(DossierRecord.employee_id == employee_id)
    rows = list(session.execute(query).scalars())
    links = session.execute(
        sa.select(DossierAlertRecord.dossier_id, DossierAlertRecord.alert_id)
        .where(DossierAlertRecord.dossier_id.in_([r.dossier_id for r in rows]))
        .order_by(DossierAlertRecord.added_at, DossierAlertRecord.alert_id)
    )
    alert_ids: dict[int, list[str]] = {}
    for dossier_id, alert_id in links:
        alert_ids.setdefault(dossier_id, []).append(alert_id)
    return [Dossier.from_record(r, tuple(alert_ids.get(r.dossier_id, ()))) for r in rows]


def dossiers_of_alert(session: Session, *, alert_id: str) -> list[int]:
    query = sa.select(DossierAlertRecord.dossier_id).where(DossierAlertRecord.alert_id == alert_id)
    return list(session.execute(query).scalars())

"""Small helpers for web tests: the top alert, audit entries, an employee's surname."""

from __future__ import annotations

import sqlalchemy as sa

from schildwacht.app.alerts.models import Alert
from schildwacht.app.alerts.service import list_alerts
from schildwacht.app.audit.models import AuditRecord
from schildwacht.app.evidence import employee_profile
from schildwacht.web.context import WebContext


def top_alert(ctx: WebContext, *, with_subject: bool = True) -> Alert:
    with ctx.tx() as db:
        for alert in list_alerts(db):
            if alert.subject_bsns or not with_subject:
                return alert
    raise AssertionError("the town has no alerts")


def audit_actions(ctx: WebContext, action: str | None = None) -> list[AuditRecord]:
    with ctx.tx() as db:
        query = sa.select(AuditRecord).order_by(AuditRecord.seq)
        if action:
            query = query.where(AuditRecord.action == action)
        return list(db.execute(query).scalars())


def employee_surname(ctx: WebContext, employee_id: str) -> str:
    profile = employee_profile(ctx.store, employee_id)
    assert profile is not None and profile.surname
    return profile.surname

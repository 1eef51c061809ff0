"""Everything the alert page shows, gathered in one place.

The employee stays a pseudonym unless this privacy officer revealed the person behind this
alert. Citizens are shown by name with a masked BSN.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from schildwacht.app.alerts.models import Alert
from schildwacht.app.alerts.queue import related_alerts
from schildwacht.app.auth.roles import Permission
from schildwacht.app.auth.service import list_users
from schildwacht.app.dossiers.service import dossiers_of_alert, list_dossiers
from schildwacht.app.evidence import alert_page_evidence, employee_profile
from schildwacht.app.people.service import has_revealed, reveals_of
from schildwacht.app.triage import service as triage
from schildwacht.detect.scenarios import SCENARIOS
from schildwacht.web.charts import timeline_svg
from schildwacht.web.context import WebContext
from schildwacht.web.deps import Viewer

EVIDENCE_ROWS = 200


def evidence_values(ctx: WebContext, *, alert: Alert, lang: str) -> dict[str, Any]:
    """What the event store says about the alert. Read outside any database transaction:
    it takes a few hundred milliseconds, and a SQLite transaction holds the write lock (see
    db.py)."""
    found = alert_page_evidence(ctx.store, alert, limit=EVIDENCE_ROWS)
    return {
        "evidence": found.evidence,
        "evidence_limit": EVIDENCE_ROWS,
        "chart": timeline_svg(found.timeline, lang=lang),
        "timeline": found.timeline,
        "names": found.names,
        "connections": found.connections,
    }


def alert_page_values(
    ctx: WebContext, db: Session, *, alert: Alert, viewer: Viewer
) -> dict[str, Any]:
    """What the application database says: workflow, related alerts, reveals, dossiers."""
    user = viewer.user
    revealed = has_revealed(db, alert_id=alert.alert_id, user=user)
    users = {u.user_id: u for u in list_users(db)}
    return {
        "alert": alert,
        "scenarios": [SCENARIOS[c] for c in alert.scenarios if c in SCENARIOS],
        "related": related_alerts(db, alert=alert),
        "history": triage.history(db, alert_id=alert.alert_id),
        "decisions": triage.decisions(db, alert_id=alert.alert_id),
        "pending": triage.pending_decision(db, alert_id=alert.alert_id),
        "resolutions": ctx.settings.triage.resolutions,
        "resolution_label": triage.resolution_label,
        "four_eyes_score": ctx.settings.triage.four_eyes_min_score,
        "four_eyes_resolutions": ctx.settings.triage.four_eyes_resolutions,
        "users": users,
        "investigators": [
            u for u in users.values() if u.active and u.can(Permission.alerts_triage)
        ],
        "profile": employee_profile(ctx.store, alert.employee_id) if revealed else None,
        "reveals": reveals_of(db, alert_id=alert.alert_id) if user.can(Permission.reveal) else [],
        "dossier_ids": dossiers_of_alert(db, alert_id=alert.alert_id),
        "open_dossiers": [
            d for d in list_dossiers(db, user=user, employee_id=alert.employee_id)
            if d.status == "open"
        ] if user.can(Permission.dossiers) else [],
    }  # fmt: skip

"""The alert queue and the alert page, and the workflow forms on it."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from schildwacht.app.alerts.models import AlertStatus
from schildwacht.app.alerts.queue import QueueFilter, departments, queue
from schildwacht.app.alerts.service import get_alert
from schildwacht.app.audit.service import append
from schildwacht.app.auth.roles import Permission
from schildwacht.app.people.service import reveal_employee
from schildwacht.app.triage import service as triage
from schildwacht.detect.scenarios import SCENARIOS
from schildwacht.errors import NotFound, UserError
from schildwacht.web.deps import Viewer, context, page
from schildwacht.web.rendering import render
from schildwacht.web.views.alert_page import alert_page_values, evidence_values

router = APIRouter(prefix="/meldingen")
Reader = Annotated[Viewer, Depends(page(Permission.alerts_read))]
Triager = Annotated[Viewer, Depends(page(Permission.alerts_triage))]
Decider = Annotated[Viewer, Depends(page(Permission.alerts_decide))]


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UserError(f"Ongeldige datum {value!r}; gebruik JJJJ-MM-DD.") from None


@router.get("")
def alert_queue(
    request: Request,
    viewer: Reader,
    scenario: str | None = None,
    afdeling: Annotated[str | None, Query()] = None,
    status: str | None = None,
    van: str | None = None,
    tot: str | None = None,
    mijn: bool = False,
    pagina: Annotated[int, Query(ge=1)] = 1,
) -> Response:
    """Highest score first; htmx asks for the rows only when a filter changes."""
    filters = QueueFilter(
        scenario=scenario or None,
        department=afdeling or None,
        status=status if status in AlertStatus.__members__ else None,
        since=_date(van),
        until=_date(tot),
        assignee_id=viewer.user.user_id if mijn else None,
    )
    ctx = context(request)
    with ctx.tx() as db:
        result = queue(db, filters=filters, page=pagina)
        known_departments = ctx.cached("departments", 300, lambda: departments(db))
        waiting = triage.awaiting_second(db)
    template = "alerts/_results.html" if request.headers.get("HX-Request") else "alerts/queue.html"
    return render(
        request, template, viewer, result=result, filters=filters, scenarios=list(SCENARIOS),
        departments=known_departments, catalogue=SCENARIOS, statuses=[s.value for s in AlertStatus],
        van=van or "", tot=tot or "", mijn=mijn, waiting=waiting,
    )  # fmt: skip


@router.get("/{alert_id}")
def alert_detail(request: Request, alert_id: str, viewer: Reader) -> Response:
    """The alert page; opening it is recorded in the audit trail (it shows evidence).

    The event store is read between two short transactions, never inside one.
    """
    ctx = context(request)
    with ctx.tx() as db:
        alert = get_alert(db, alert_id=alert_id)
    if alert is None:
        raise NotFound(f"melding {alert_id} bestaat niet")
    evidence = evidence_values(ctx, alert=alert, lang=viewer.lang)
    with ctx.tx() as db:
        values = alert_page_values(ctx, db, alert=alert, viewer=viewer)
        append(
            db, actor=viewer.user.username, action="view_alert", target=f"alert:{alert_id}",
            details={"evidence_events": len(evidence["evidence"]),
                     "revealed": values["profile"] is not None},
            client=viewer.client,
        )  # fmt: skip
    return render(request, "alerts/detail.html", viewer, **values, **evidence)


def _back(alert_id: str, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(f"/meldingen/{alert_id}{anchor}", status_code=303)


@router.post("/{alert_id}/onderzoek")
def start(request: Request, alert_id: str, viewer: Triager) -> Response:
    with context(request).tx() as db:
        triage.start_investigation(db, alert_id=alert_id, user=viewer.user, client=viewer.client)
    return _back(alert_id)


@router.post("/{alert_id}/toewijzen")
def assign(
    request: Request, alert_id: str, viewer: Triager, assignee: Annotated[str, Form()] = ""
) -> Response:
    with context(request).tx() as db:
        triage.assign(db, alert_id=alert_id, user=viewer.user, assignee=assignee or None,
                      client=viewer.client)  # fmt: skip
    return _back(alert_id, "#werkstroom")


@router.post("/{alert_id}/opmerking")
def comment(
    request: Request, alert_id: str, viewer: Triager, text: Annotated[str, Form()]
) -> Response:
    with context(request).tx() as db:
        triage.add_comment(db, alert_id=alert_id, user=viewer.user, text=text,
                           client=viewer.client)  # fmt: skip
    return _back(alert_id, "#geschiedenis")


@router.post("/{alert_id}/afsluiten")
def close(
    request: Request,
    alert_id: str,
    viewer: Decider,
    resolution: Annotated[str, Form()],
    note: Annotated[str, Form()],
) -> Response:
    ctx = context(request)
    rules = ctx.settings.triage
    with ctx.tx() as db:
        triage.propose_close(db, alert_id=alert_id, user=viewer.user, resolution=resolution,
                             note=note, rules=rules, client=viewer.client)  # fmt: skip
    return _back(alert_id, "#werkstroom")


SECOND_OPINION = {"bevestigen": triage.confirm_decision, "afwijzen": triage.reject_decision}
"""The second privacy officer's verdicts on a proposed decision (four-eyes)."""


@router.post("/{alert_id}/besluit/{decision_id}/{verdict}")
def second_opinion(
    request: Request, alert_id: str, decision_id: int,
    verdict: Literal["bevestigen", "afwijzen"], viewer: Decider,
    note: Annotated[str, Form()] = "",
) -> Response:  # fmt: skip
    with context(request).tx() as db:
        SECOND_OPINION[verdict](db, decision_id=decision_id, user=viewer.user, note=note,
                                alert_id=alert_id, client=viewer.client)  # fmt: skip
    return _back(alert_id, "#werkstroom")


@router.post("/{alert_id}/heropenen")
def reopen(
    request: Request, alert_id: str, viewer: Decider, note: Annotated[str, Form()]
) -> Response:
    with context(request).tx() as db:
        triage.reopen(db, alert_id=alert_id, user=viewer.user, note=note, client=viewer.client)
    return _back(alert_id, "#werkstroom")


@router.post("/{alert_id}/herleiden")
def reveal(
    request: Request,
    alert_id: str,
    viewer: Annotated[Viewer, Depends(page(Permission.reveal))],
    justification: Annotated[str, Form()],
) -> Response:
    with context(request).tx() as db:
        if get_alert(db, alert_id=alert_id) is None:
            raise NotFound(f"melding {alert_id} bestaat niet")
        reveal_employee(db, alert_id=alert_id, user=viewer.user, justification=justification,
                        client=viewer.client)  # fmt: skip
    return _back(alert_id, "#medewerker")

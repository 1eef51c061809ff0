"""``/api/v1/alerts``: the queue, one alert, and the workflow acts on it.

Every act goes through ``schildwacht.app.triage.service``, which checks the user's roles
again, enforces the four-eyes rule and writes the history note and the audit entry (actor:
the token's user; client: the caller's address). Opening an alert is audited here.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Query, Request
from sqlalchemy.orm import Session

from schildwacht.app.alerts.models import Alert, AlertStatus
from schildwacht.app.alerts.queue import QueueFilter, queue, related_alerts
from schildwacht.app.alerts.service import get_alert
from schildwacht.app.audit.service import append
from schildwacht.app.auth.roles import Permission
from schildwacht.app.dossiers.service import dossiers_of_alert
from schildwacht.app.triage import service as triage
from schildwacht.app.triage.models import AlertDecision, AlertNote, NoteKind
from schildwacht.detect.model import Reason as DetectedReason
from schildwacht.errors import NotFound
from schildwacht.web.api import schemas
from schildwacht.web.api.common import (
    errors,
    invalid,
    link,
    local,
    local_or_none,
    mask_bsn,
    page_links,
    usernames,
)
from schildwacht.web.context import WebContext
from schildwacht.web.deps import Viewer, api, context

router = APIRouter(prefix="/alerts", tags=["meldingen"])
Reader = Annotated[Viewer, Depends(api(Permission.alerts_read))]
Triager = Annotated[Viewer, Depends(api(Permission.alerts_triage))]

MAX_PAGE_SIZE = 200


def summary(ctx: WebContext, alert: Alert, names: dict[int, str]) -> schemas.AlertSummary:
    return schemas.AlertSummary(
        alert_id=alert.alert_id,
        employee=ctx.pseudonym(alert.employee_id),
        department=alert.department,
        subject_bsns=[mask_bsn(b) for b in alert.subject_bsns],
        scenarios=list(alert.scenarios),
        score=round(alert.score, 2),
        first_seen=local(alert.first_seen),
        last_seen=local(alert.last_seen),
        summary_nl=alert.summary_nl,
        summary_en=alert.summary_en,
        status=alert.status,  # type: ignore[arg-type]  # one of AlertStatus, checked by Pydantic
        assignee=names.get(alert.assignee_id) if alert.assignee_id is not None else None,
        links={"self": link(f"/alerts/{alert.alert_id}")},
    )


def _note(note: AlertNote, names: dict[int, str]) -> schemas.HistoryEntry:
    return schemas.HistoryEntry(
        note_id=note.note_id, at=local(note.at), author=names.get(note.author_id),
        kind=note.kind, text=note.text, details=note.details,  # type: ignore[arg-type]
    )  # fmt: skip


def _decision(d: AlertDecision, names: dict[int, str]) -> schemas.Decision:
    return schemas.Decision(
        decision_id=d.decision_id, resolution=d.resolution, note=d.note,
        four_eyes=d.needs_second, state=d.state,  # type: ignore[arg-type]
        proposed_by=names.get(d.proposed_by), proposed_at=local(d.proposed_at),
        second_by=names.get(d.second_by) if d.second_by is not None else None,
        second_at=local_or_none(d.second_at), second_note=d.second_note,
    )  # fmt: skip


def _reason(r: DetectedReason) -> schemas.Reason:
    return schemas.Reason(
        scenario=r.scenario, code=r.code, text_nl=r.text_nl, text_en=r.text_en, points=r.points
    )


def detail(ctx: WebContext, db: Session, alert_id: str) -> schemas.AlertDetail:
    """The alert as stored now (in the caller's transaction); NotFound when absent."""
    alert = get_alert(db, alert_id=alert_id)
    if alert is None:
        raise NotFound(f"melding {alert_id} bestaat niet")
    names = usernames(db)
    pending = triage.pending_decision(db, alert_id=alert_id)
    return schemas.AlertDetail(
        **summary(ctx, alert, names).model_dump(),
        reasons=[_reason(r) for r in alert.reasons],
        scenario_versions=dict(alert.scenario_versions),
        event_ids=list(alert.event_ids),
        history=[_note(n, names) for n in triage.history(db, alert_id=alert_id)],
        decisions=[_decision(d, names) for d in triage.decisions(db, alert_id=alert_id)],
        pending_decision=_decision(pending, names) if pending is not None else None,
        related_alert_ids=[a.alert_id for a in related_alerts(db, alert=alert)],
        dossier_ids=dossiers_of_alert(db, alert_id=alert_id),
    )


@router.get(
    "",
    summary="Meldingen, hoogste score eerst",
    description=(
        "De wachtrij, gefilterd en per pagina. Medewerkers staan er als pseudoniem in en "
        "BSN's gemaskeerd, voor elke rol: deze lijst geeft nooit een personeelsnummer of een "
        "volledig BSN. Recht: `alerts_read`."
    ),
    responses=errors(400),
)
def list_alerts(
    request: Request,
    viewer: Reader,
    scenario: Annotated[str | None, Query(description="Scenariocode, bijv. `family`.")] = None,
    department: Annotated[str | None, Query(description="Afdeling van de medewerker.")] = None,
    status: Annotated[AlertStatus | None, Query(description="Workflowstatus.")] = None,
    since: Annotated[
        date | None, Query(alias="from", description="Met activiteit op of na deze dag.")
    ] = None,
    until: Annotated[
        date | None, Query(alias="to", description="Met activiteit op of vóór deze dag.")
    ] = None,
    page: Annotated[int, Query(ge=1, description="Paginanummer, vanaf 1.")] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Per pagina.")] = 50,
) -> schemas.AlertPage:
    if since is not None and until is not None and until < since:
        invalid("query", [("to", "`to` ligt vóór `from`", "value_error")])
    filters = QueueFilter(
        scenario=scenario or None, department=department or None,
        status=status.value if status is not None else None, since=since, until=until,
    )  # fmt: skip
    ctx = context(request)
    with ctx.tx() as db:
        result = queue(db, filters=filters, page=page, per_page=page_size)
        names = usernames(db)
    return schemas.AlertPage(
        items=[summary(ctx, a, names) for a in result.alerts],
        total=result.total,
        page=result.page,
        page_size=page_size,
        counts_by_status=result.by_status,
        links=page_links(request, page=result.page, page_size=page_size, total=result.total),
    )


@router.get(
    "/{alert_id}",
    summary="Eén melding",
    description=(
        "De melding met redenen, bewijsgebeurtenissen, geschiedenis en besluiten. Ook hier "
        "staat de medewerker als pseudoniem en zijn BSN's gemaskeerd: herleiden kan alleen in "
        "de webapp, met een onderbouwing. Het openen wordt vastgelegd in de audittrail "
        "(`view_alert`). Recht: `alerts_read`."
    ),
    responses=errors(404),
)
def alert_detail(request: Request, alert_id: str, viewer: Reader) -> schemas.AlertDetail:
    ctx = context(request)
    with ctx.tx() as db:
        body = detail(ctx, db, alert_id)
        append(db, actor=viewer.user.username, action="view_alert", target=f"alert:{alert_id}",
               details={"via": "api"}, client=viewer.client)  # fmt: skip
    return body


_STATUS_EXAMPLES = {
    "start_investigation": {
        "summary": "Onderzoek starten",
        "value": {"action": "start_investigation"},
    },
    "close": {
        "summary": "Afsluiten (of voorstellen af te sluiten, bij vier ogen)",
        "value": {"action": "close", "resolution": "legitiem_overig", "note": "Zaak gevonden."},
    },
    "confirm": {
        "summary": "Besluit van een collega bevestigen (vier ogen)",
        "value": {"action": "confirm", "decision_id": 7, "note": "Eens."},
    },
    "reject": {
        "summary": "Besluit van een collega afwijzen",
        "value": {"action": "reject", "decision_id": 7, "note": "Eerst de zaak nagaan."},
    },
    "reopen": {
        "summary": "Afgesloten melding heropenen",
        "value": {"action": "reopen", "note": "Nieuwe informatie van de afdeling."},
    },
}

# which fields each action needs (True) or takes (False); the others must be absent
_FIELDS: dict[str, dict[str, bool]] = {
    "start_investigation": {},
    "close": {"resolution": True, "note": True},
    "confirm": {"decision_id": True, "note": False},
    "reject": {"decision_id": True, "note": True},
    "reopen": {"note": True},
}


def _check_fields(change: schemas.StatusAction, resolutions: tuple[str, ...]) -> None:
    """Every field that ``action`` needs but lacks, or does not take but got: one 400."""
    wanted, action = _FIELDS[change.action], change.action
    problems: list[tuple[str, str, str]] = []
    for name in ("resolution", "note", "decision_id"):
        value = getattr(change, name)
        if name not in wanted and value is not None:
            problems.append((name, f"`{name}` hoort niet bij actie `{action}`", "extra"))
        elif wanted.get(name) and (value is None or not str(value).strip()):
            problems.append((name, f"`{name}` is verplicht bij actie `{action}`", "missing"))
    if action == "close" and change.resolution and change.resolution not in resolutions:
        problems.append(("resolution", f"kies een van: {', '.join(resolutions)}", "enum"))
    if problems:
        invalid("body", problems)


@router.post(
    "/{alert_id}/status",
    summary="Stap in de werkstroom",
    description=(
        "Eén stap, gekozen met `action`:\n\n"
        "* `start_investigation` (recht `alerts_triage`): nieuw → in_onderzoek.\n"
        "* `close` (recht `alerts_decide`): afsluiten met `resolution` en `note`. Bij een "
        "vier-ogenafhandeling (standaard `misbruik_bevestigd`) of een hoge score wordt het een "
        "voorstel (`pending_decision`) dat een tweede privacy officer moet bevestigen.\n"
        "* `confirm` / `reject` (recht `alerts_decide`): een ander dan de voorsteller "
        "bevestigt of wijst besluit `decision_id` af; de voorsteller zelf krijgt 403.\n"
        "* `reopen` (recht `alerts_decide`): een afgesloten melding heropenen, met `note`.\n\n"
        "Een stap die niet bij de toestand past geeft 409. Antwoord: de bijgewerkte melding."
    ),
    responses=errors(400, 404, 409),
)
def change_status(
    request: Request,
    alert_id: str,
    viewer: Triager,
    change: Annotated[schemas.StatusAction, Body(openapi_examples=_STATUS_EXAMPLES)],
) -> schemas.AlertDetail:
    ctx = context(request)
    _check_fields(change, ctx.settings.triage.resolutions)
    user, client, note = viewer.user, viewer.client, (change.note or "").strip()
    with ctx.tx() as db:
        if get_alert(db, alert_id=alert_id) is None:
            raise NotFound(f"melding {alert_id} bestaat niet")
        if change.action == "start_investigation":
            triage.start_investigation(db, alert_id=alert_id, user=user, client=client)
        elif change.action == "close":
            resolution = change.resolution or ""
            triage.propose_close(db, alert_id=alert_id, user=user, resolution=resolution,
                                 note=note, rules=ctx.settings.triage, client=client)  # fmt: skip
        elif change.action == "reopen":
            triage.reopen(db, alert_id=alert_id, user=user, note=note, client=client)
        else:
            decision_id = change.decision_id or 0
            if decision_id not in {d.decision_id for d in triage.decisions(db, alert_id=alert_id)}:
                raise NotFound(f"besluit {decision_id} hoort niet bij melding {alert_id}")
            if change.action == "confirm":
                triage.confirm_decision(db, decision_id=decision_id, user=user, note=note,
                                        client=client)  # fmt: skip
            else:
                triage.reject_decision(db, decision_id=decision_id, user=user, note=note,
                                       client=client)  # fmt: skip
        return detail(ctx, db, alert_id)


@router.post(
    "/{alert_id}/comments",
    status_code=201,
    summary="Opmerking toevoegen",
    description="Een opmerking in de geschiedenis van de melding. Recht: `alerts_triage`.",
    responses=errors(400, 404),
)
def add_comment(
    request: Request, alert_id: str, viewer: Triager, comment: schemas.CommentIn
) -> schemas.HistoryEntry:
    with context(request).tx() as db:
        triage.add_comment(db, alert_id=alert_id, user=viewer.user, text=comment.text,
                           client=viewer.client)  # fmt: skip
        mine = [
            n for n in triage.history(db, alert_id=alert_id)
            if n.kind == NoteKind.comment and n.author_id == viewer.user.user_id
        ]  # fmt: skip
        return _note(max(mine, key=lambda n: n.note_id), usernames(db))


@router.put(
    "/{alert_id}/assignee",
    summary="Onderzoeker toewijzen",
    description=(
        "Wijs de melding toe aan een actieve gebruiker die mag onderzoeken, of aan niemand "
        "(`null`). Recht: `alerts_triage`. Antwoord: de bijgewerkte melding."
    ),
    responses=errors(400, 404),
)
def set_assignee(
    request: Request, alert_id: str, viewer: Triager, body: schemas.AssigneeIn
) -> schemas.AlertDetail:
    ctx = context(request)
    with ctx.tx() as db:
        triage.assign(db, alert_id=alert_id, user=viewer.user, assignee=body.assignee or None,
                      client=viewer.client)  # fmt: skip
        return detail(ctx, db, alert_id)

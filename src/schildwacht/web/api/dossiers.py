"""``/api/v1/dossiers``: investigation files joining alerts about one (pseudonymised) employee.

Changes go through ``schildwacht.app.dossiers.service``, which writes the audit entries;
opening a dossier is audited here (``view_dossier``), as on the dossier page.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from schildwacht.app.audit.service import append
from schildwacht.app.auth.roles import Permission
from schildwacht.app.dossiers import service
from schildwacht.app.dossiers.models import Dossier
from schildwacht.web.api import schemas
from schildwacht.web.api.common import PREFIX, errors, link, local, usernames
from schildwacht.web.context import WebContext
from schildwacht.web.deps import Viewer, api, context

router = APIRouter(prefix="/dossiers", tags=["dossiers"])
Investigator = Annotated[Viewer, Depends(api(Permission.dossiers))]


def _dossier(ctx: WebContext, d: Dossier, names: dict[int, str]) -> schemas.Dossier:
    return schemas.Dossier(
        dossier_id=d.dossier_id, employee=ctx.pseudonym(d.employee_id), title=d.title,
        description=d.description, status=d.status,  # type: ignore[arg-type]
        created_by=names.get(d.created_by), created_at=local(d.created_at),
        updated_at=local(d.updated_at), alert_ids=list(d.alert_ids),
        links={"self": link(f"/dossiers/{d.dossier_id}")},
    )  # fmt: skip


@router.get(
    "",
    summary="Dossiers",
    description="Alle dossiers, laatst gewijzigd eerst. Recht: `dossiers`.",
    responses=errors(),
)
def list_dossiers(request: Request, viewer: Investigator) -> schemas.DossierList:
    ctx = context(request)
    with ctx.tx() as db:
        found = [
            service.get_dossier(db, dossier_id=d.dossier_id, user=viewer.user)
            for d in service.list_dossiers(db, user=viewer.user)
        ]
        names = usernames(db)
    return schemas.DossierList(items=[_dossier(ctx, d, names) for d in found], total=len(found))


@router.post(
    "",
    status_code=201,
    summary="Dossier openen",
    description=(
        "Een nieuw dossier met meldingen die alle over dezelfde medewerker gaan (anders 400; "
        "een onbekende melding geeft 404). Recht: `dossiers`."
    ),
    responses=errors(400, 404),
)
def create_dossier(
    request: Request, response: Response, viewer: Investigator, body: schemas.DossierIn
) -> schemas.Dossier:
    ctx = context(request)
    with ctx.tx() as db:
        made = service.create_dossier(
            db, user=viewer.user, title=body.title, alert_ids=[a.strip() for a in body.alert_ids],
            description=body.description, client=viewer.client,
        )  # fmt: skip
        names = usernames(db)
    response.headers["Location"] = f"{PREFIX}/dossiers/{made.dossier_id}"
    return _dossier(ctx, made, names)


@router.get(
    "/{dossier_id}",
    summary="Eén dossier",
    description="Het openen wordt vastgelegd in de audittrail (`view_dossier`). Recht: `dossiers`.",
    responses=errors(400, 404),
)
def dossier_detail(request: Request, dossier_id: int, viewer: Investigator) -> schemas.Dossier:
    ctx = context(request)
    with ctx.tx() as db:
        found = service.get_dossier(db, dossier_id=dossier_id, user=viewer.user)
        names = usernames(db)
        append(db, actor=viewer.user.username, action="view_dossier",
               target=f"dossier:{dossier_id}",
               details={"via": "api", "alerts": len(found.alert_ids)},
               client=viewer.client)  # fmt: skip
    return _dossier(ctx, found, names)


@router.post(
    "/{dossier_id}/alerts",
    summary="Melding aan dossier toevoegen",
    description=(
        "Voegt een melding over dezelfde medewerker toe (al aanwezig: geen wijziging). Een "
        "gesloten dossier geeft 409. Recht: `dossiers`. Antwoord: het bijgewerkte dossier."
    ),
    responses=errors(400, 404, 409),
)
def add_alert(
    request: Request, dossier_id: int, viewer: Investigator, body: schemas.DossierAlertIn
) -> schemas.Dossier:
    ctx = context(request)
    with ctx.tx() as db:
        updated = service.add_alert(db, user=viewer.user, dossier_id=dossier_id,
                                    alert_id=body.alert_id, client=viewer.client)  # fmt: skip
        names = usernames(db)
    return _dossier(ctx, updated, names)

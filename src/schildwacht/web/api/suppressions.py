"""``/api/v1/suppressions``: known legitimate patterns detection must not turn into alerts.

For the ``beheerder`` (permission ``suppressions``). The suppression service validates and
stores but writes no audit entry, so each add and remove is audited here, once, in the same
transaction: ``suppression_added`` / ``suppression_removed`` with what it covers (the full
target, BSN included: the audit trail is the record of what was hidden, read only by the
auditor). Responses show a subject's BSN masked.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from schildwacht.app.audit.service import append
from schildwacht.app.auth.roles import Permission
from schildwacht.app.suppressions import service
from schildwacht.app.suppressions.models import Suppression, SuppressionRecord
from schildwacht.errors import NotFound
from schildwacht.web.api import schemas
from schildwacht.web.api.common import PREFIX, errors, link, local, local_or_none, mask_bsn
from schildwacht.web.deps import Viewer, api, context

router = APIRouter(prefix="/suppressions", tags=["onderdrukkingen"])
Manager = Annotated[Viewer, Depends(api(Permission.suppressions))]


def _out(s: Suppression) -> schemas.Suppression:
    return schemas.Suppression(
        id=s.id, scenario=s.scenario, employee_id=s.employee_id, team=s.team,
        department=s.department, subject_bsn=mask_bsn(s.subject_bsn) if s.subject_bsn else None,
        period_start=local_or_none(s.period_start), period_end=local_or_none(s.period_end),
        reason=s.reason, expires_on=s.expires_on,
        expired=s.expires_on < service.amsterdam_today(), created_by=s.created_by,
        created_at=local(s.created_at), links={"self": link(f"/suppressions/{s.id}")},
    )  # fmt: skip


@router.get(
    "",
    summary="Onderdrukkingen",
    description="De actieve onderdrukkingen (met `include_expired`: ook verlopen). "
    "Recht: `suppressions`.",
    responses=errors(400),
)
def list_suppressions(
    request: Request,
    viewer: Manager,
    include_expired: Annotated[bool, Query(description="Ook verlopen tonen.")] = False,
) -> schemas.SuppressionList:
    with context(request).tx() as db:
        found = service.list_suppressions(db, include_expired=include_expired)
    return schemas.SuppressionList(items=[_out(s) for s in found], total=len(found))


@router.get(
    "/{suppression_id}",
    summary="Eén onderdrukking",
    description="Recht: `suppressions`.",
    responses=errors(400, 404),
)
def suppression_detail(
    request: Request, suppression_id: int, viewer: Manager
) -> schemas.Suppression:
    with context(request).tx() as db:
        row = db.get(SuppressionRecord, suppression_id)
        if row is None:
            raise NotFound(f"onderdrukking {suppression_id} bestaat niet")
        return _out(Suppression.from_record(row))


@router.post(
    "",
    status_code=201,
    summary="Onderdrukking toevoegen",
    description=(
        "Moet minstens één doel noemen (scenario, medewerker, team, afdeling of betrokkene), "
        "een reden geven en verlopen (`expires_on`, vandaag of later). Met `period_from` en "
        "`period_until` dekt ze alleen bewijs binnen die dagen. Geldt vanaf de volgende "
        "detectierun. Recht: `suppressions`."
    ),
    responses=errors(400),
)
def add_suppression(
    request: Request, response: Response, viewer: Manager, body: schemas.SuppressionIn
) -> schemas.Suppression:
    start, end = service.period_from_dates(body.period_from, body.period_until)
    with context(request).tx() as db:
        added = service.add_suppression(
            db, reason=body.reason, expires_on=body.expires_on, created_by=viewer.user.username,
            scenario=body.scenario, employee_id=body.employee_id, team=body.team,
            department=body.department, subject_bsn=body.subject_bsn, period_start=start,
            period_end=end,
        )  # fmt: skip
        details = service.audit_details(added, via="api")
        append(db, actor=viewer.user.username, action="suppression_added",
               target=f"suppression:{added.id}", details=details,
               client=viewer.client)  # fmt: skip
    response.headers["Location"] = f"{PREFIX}/suppressions/{added.id}"
    return _out(added)


@router.delete(
    "/{suppression_id}",
    status_code=204,
    response_class=Response,
    summary="Onderdrukking verwijderen",
    description="Geldt vanaf de volgende detectierun. Recht: `suppressions`.",
    responses=errors(400, 404),
)
def remove_suppression(request: Request, suppression_id: int, viewer: Manager) -> Response:
    with context(request).tx() as db:
        if db.get(SuppressionRecord, suppression_id) is None:
            raise NotFound(f"onderdrukking {suppression_id} bestaat niet")
        removed = service.remove_suppression(db, suppression_id=suppression_id)
        details = service.audit_details(removed, via="api")
        append(db, actor=viewer.user.username, action="suppression_removed",
               target=f"suppression:{removed.id}", details=details,
               client=viewer.client)  # fmt: skip
    return Response(status_code=204)

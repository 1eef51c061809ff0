"""``/api/v1``: JSON for integrations, with personal access tokens (see ``deps.api``).

Follows the Dutch API Design Rules: plural resources, the version in the path, snake_case
fields (as the contract's export), ``self`` links, errors as ``application/problem+json``
(400 with ``invalidParams``), an OpenAPI 3 document at ``/api/v1/openapi.json``. Every route
needs a bearer token; its user's roles decide, exactly as for the pages.

| method | path | permission |
|---|---|---|
| GET | /alerts, /alerts/{id} | alerts_read |
| POST | /alerts/{id}/status | alerts_triage (close, confirm, reject, reopen: alerts_decide) |
| POST | /alerts/{id}/comments | alerts_triage |
| PUT | /alerts/{id}/assignee | alerts_triage |
| GET, POST | /dossiers, /dossiers/{id}, /dossiers/{id}/alerts | dossiers |
| GET, POST, DELETE | /suppressions, /suppressions/{id} | suppressions |
| GET | /me | any valid token |
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Security

from schildwacht.web.api import alerts, dossiers, schemas, suppressions
from schildwacht.web.api.common import bearer, errors
from schildwacht.web.deps import Viewer, api

router = APIRouter(prefix="/api/v1", dependencies=[Security(bearer)])
router.include_router(alerts.router)
router.include_router(dossiers.router)
router.include_router(suppressions.router)


@router.get(
    "/me",
    tags=["account"],
    summary="Wie het token gebruikt",
    description="De gebruiker van het token, zijn rollen en de rechten die daaruit volgen.",
    responses=errors(),
)
def me(viewer: Annotated[Viewer, Depends(api())]) -> schemas.Me:
    user = viewer.user
    return schemas.Me(
        username=user.username,
        display_name=user.display_name,
        roles=list(user.roles),
        permissions=sorted(p.value for p in user.permissions),
    )

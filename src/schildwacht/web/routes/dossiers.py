"""Dossiers: several alerts about one (pseudonymised) employee, investigated together."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from schildwacht.app.alerts.models import Alert
from schildwacht.app.alerts.service import get_alert
from schildwacht.app.audit.service import append
from schildwacht.app.auth.roles import Permission
from schildwacht.app.auth.service import list_users
from schildwacht.app.breaches.service import breach_of_dossier, confirmed_misuse
from schildwacht.app.dossiers.service import add_alert, create_dossier, get_dossier, list_dossiers
from schildwacht.errors import PermissionDenied, UserError
from schildwacht.web.deps import Viewer, context, page
from schildwacht.web.i18n import translations
from schildwacht.web.rendering import AMSTERDAM, N_, render

router = APIRouter(prefix="/dossiers")
Investigator = Annotated[Viewer, Depends(page(Permission.dossiers))]
STATUSES = (N_("open"), N_("gesloten"))  # shown as _(dossier.status): marked for extraction


def _ids(values: list[str]) -> list[str]:
    """Alert ids from one or more fields, each possibly a list separated by commas or spaces."""
    found = [part for value in values for part in re.split(r"[\s,;]+", value) if part]
    return list(dict.fromkeys(found))


def _list_page(
    request: Request, viewer: Viewer, *, status_code: int = 200, **values: Any
) -> Response:
    with context(request).tx() as db:
        dossiers = list_dossiers(db, user=viewer.user)
        users = {u.user_id: u for u in list_users(db)}
    return render(request, "dossiers/list.html", viewer, status_code=status_code,
                  dossiers=dossiers, users=users, **values)  # fmt: skip


@router.get("")
def dossier_list(request: Request, viewer: Investigator) -> Response:
    return _list_page(request, viewer)


@router.post("")
def dossier_create(
    request: Request,
    viewer: Investigator,
    title: Annotated[str, Form()],
    alert_ids: Annotated[list[str], Form()],
    description: Annotated[str, Form()] = "",
) -> Response:
    """Open a dossier; a refusal shows the form again with the reason."""
    try:
        with context(request).tx() as db:
            dossier = create_dossier(db, user=viewer.user, title=title, alert_ids=_ids(alert_ids),
                                     description=description, client=viewer.client)  # fmt: skip
    except PermissionDenied:
        raise
    except UserError as error:
        message = translations(viewer.lang).gettext(str(error))
        return _list_page(request, viewer, status_code=400, error=message,
                          form={"title": title, "alert_ids": " ".join(alert_ids),
                                "description": description})  # fmt: skip
    return RedirectResponse(f"/dossiers/{dossier.dossier_id}", status_code=303)


@router.post("/toevoegen")
def dossier_add_alert(
    request: Request,
    viewer: Investigator,
    dossier_id: Annotated[int, Form()],
    alert_id: Annotated[str, Form()],
) -> Response:
    with context(request).tx() as db:
        add_alert(db, user=viewer.user, dossier_id=dossier_id, alert_id=alert_id.strip(),
                  client=viewer.client)  # fmt: skip
    return RedirectResponse(f"/meldingen/{alert_id.strip()}#werkstroom", status_code=303)


@router.get("/{dossier_id}")
def dossier_detail(request: Request, dossier_id: int, viewer: Investigator) -> Response:
    """The dossier and its alerts; opening it is recorded (it leads to evidence)."""
    with context(request).tx() as db:
        dossier = get_dossier(db, dossier_id=dossier_id, user=viewer.user)
        alerts: list[Alert] = [
            a for a in (get_alert(db, alert_id=i) for i in dossier.alert_ids) if a is not None
        ]
        users = {u.user_id: u for u in list_users(db)}
        confirmed = confirmed_misuse(db, dossier_id)
        breach_id = breach_of_dossier(db, dossier_id)
        append(db, actor=viewer.user.username, action="view_dossier",
               target=f"dossier:{dossier_id}", details={"alerts": len(alerts)},
               client=viewer.client)  # fmt: skip
    return render(request, "dossiers/detail.html", viewer, dossier=dossier, alerts=alerts,
                  users=users, confirmed=confirmed, breach_id=breach_id,
                  now_local=datetime.now(AMSTERDAM).strftime("%Y-%m-%dT%H:%M"))  # fmt: skip

"""Suppressions for the beheerder: silence a known legitimate pattern, with reason and expiry."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from schildwacht.app.audit.service import append
from schildwacht.app.auth.roles import Permission
from schildwacht.app.suppressions.service import (
    add_suppression,
    amsterdam_today,
    audit_details,
    list_suppressions,
    period_from_dates,
    remove_suppression,
)
from schildwacht.config import SCENARIO_CODES
from schildwacht.detect.scenarios import SCENARIOS
from schildwacht.errors import UserError
from schildwacht.web.deps import Viewer, context, page
from schildwacht.web.i18n import translations
from schildwacht.web.rendering import AMSTERDAM, render

router = APIRouter(prefix="/beheer/onderdrukkingen")
Keeper = Annotated[Viewer, Depends(page(Permission.suppressions))]
PAGE = "/beheer/onderdrukkingen"


def _page(
    request: Request,
    viewer: Viewer,
    *,
    status_code: int = 200,
    error: str | None = None,
    form: dict[str, str] | None = None,
) -> Response:
    with context(request).tx() as db:
        rows = list_suppressions(db, include_expired=True)
    return render(request, "admin/suppressions.html", viewer, status_code=status_code,
                  suppressions=rows, today=amsterdam_today(), scenario_codes=SCENARIO_CODES,
                  catalogue=SCENARIOS, form=form or {}, error=error, first_day=_first_day,
                  last_day=_last_day)  # fmt: skip


def _first_day(start: datetime | None) -> date | None:
    return start.astimezone(AMSTERDAM).date() if start else None


def _last_day(end: datetime | None) -> date | None:
    """The last covered day: the period is half-open, so the day of its last instant."""
    return (end.astimezone(AMSTERDAM) - timedelta(microseconds=1)).date() if end else None


def _day(value: str, label: str) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise UserError(f"{label}: {value!r} is geen datum; gebruik JJJJ-MM-DD.") from None


@router.get("")
def suppression_list(request: Request, viewer: Keeper) -> Response:
    return _page(request, viewer)


@router.post("")
def suppression_add(
    request: Request,
    viewer: Keeper,
    reason: Annotated[str, Form()] = "",
    expires_on: Annotated[str, Form()] = "",
    scenario: Annotated[str, Form()] = "",
    employee_id: Annotated[str, Form()] = "",
    team: Annotated[str, Form()] = "",
    department: Annotated[str, Form()] = "",
    subject_bsn: Annotated[str, Form()] = "",
    period_from: Annotated[str, Form()] = "",
    period_until: Annotated[str, Form()] = "",
) -> Response:
    """Add one; a refusal shows the form again, filled in, with the reason (HTTP 400)."""
    form = {"reason": reason, "expires_on": expires_on, "scenario": scenario,
            "employee_id": employee_id, "team": team, "department": department,
            "subject_bsn": subject_bsn, "period_from": period_from,
            "period_until": period_until}  # fmt: skip
    try:
        expires = _day(expires_on, "Vervalt op")
        if expires is None:
            raise UserError("Geef een datum waarop de onderdrukking vervalt.")
        start, end = period_from_dates(_day(period_from, "Periode van"),
                                       _day(period_until, "Periode tot en met"))  # fmt: skip
        with context(request).tx() as db:
            added = add_suppression(
                db, reason=reason, expires_on=expires, created_by=viewer.user.username,
                scenario=scenario, employee_id=employee_id, team=team, department=department,
                subject_bsn=subject_bsn, period_start=start, period_end=end,
            )  # fmt: skip
            details = audit_details(added, via="web")
            append(db, actor=viewer.user.username, action="suppression_added",
                   target=f"suppression:{added.id}", details=details,
                   client=viewer.client)  # fmt: skip
    except UserError as error:
        message = translations(viewer.lang).gettext(str(error))
        return _page(request, viewer, status_code=400, error=message, form=form)
    return RedirectResponse(PAGE, status_code=303)


@router.post("/{suppression_id}/verwijderen")
def suppression_remove(request: Request, suppression_id: int, viewer: Keeper) -> Response:
    try:
        with context(request).tx() as db:
            removed = remove_suppression(db, suppression_id=suppression_id)
            details = audit_details(removed, via="web")
            append(db, actor=viewer.user.username, action="suppression_removed",
                   target=f"suppression:{removed.id}", details=details,
                   client=viewer.client)  # fmt: skip
    except UserError as error:
        message = translations(viewer.lang).gettext(str(error))
        return _page(request, viewer, status_code=400, error=message)
    return RedirectResponse(PAGE, status_code=303)

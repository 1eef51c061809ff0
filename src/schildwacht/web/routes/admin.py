"""Beheer: accounts and roles, and a read-only view of the store's settings.

As in ``schildwacht users``: no default passwords (a generated one-time password is shown
once and must be changed at first sign-in), and every change is recorded in the audit trail,
here with the signed-in beheerder as actor.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import fields
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from schildwacht.app.audit.service import append
from schildwacht.app.auth.roles import ROLE_LABELS_NL, Permission, Role
from schildwacht.app.auth.service import (
    add_user,
    find_user,
    list_users,
    reset_password,
    set_active,
    set_roles,
)
from schildwacht.app.auth.sessions import end_user_sessions
from schildwacht.app.base import utc_now
from schildwacht.config import SECTIONS, Settings
from schildwacht.errors import UserError
from schildwacht.web.deps import Viewer, context, page
from schildwacht.web.i18n import translations
from schildwacht.web.rendering import N_, render

router = APIRouter(prefix="/beheer")
Keeper = Annotated[Viewer, Depends(page(Permission.users))]
USERS = "/beheer/gebruikers"
ROLE_NAMES = (
    N_("Analist"), N_("Privacy officer"), N_("Functionaris gegevensbescherming (FG)"),
    N_("Beheerder"), N_("Auditor"),
)  # fmt: skip
"""``ROLE_LABELS_NL``, marked for extraction here (the catalog covers the web package only)."""


def _users_page(
    request: Request, viewer: Viewer, *, status_code: int = 200, **values: Any
) -> Response:
    with context(request).tx() as db:
        users = list_users(db)
    return render(request, "admin/users.html", viewer, status_code=status_code, users=users,
                  roles=list(Role), role_labels=ROLE_LABELS_NL, now=utc_now(),
                  **values)  # fmt: skip


def _act(
    request: Request, viewer: Viewer, work: Callable[[Session], dict[str, Any] | None]
) -> Response:
    """Run ``work`` in one transaction; show what it returns (a one-time password) on the
    users page, redirect when it returns nothing, or show the page with the refusal."""
    try:
        with context(request).tx() as db:
            shown = work(db)
    except UserError as error:
        message = translations(viewer.lang).gettext(str(error))
        return _users_page(request, viewer, status_code=400, error=message)
    if shown is None:
        return RedirectResponse(USERS, status_code=303)
    return _users_page(request, viewer, **shown)


def _not_self(viewer: Viewer, username: str, message: str) -> None:
    if username.strip().lower() == viewer.user.username:
        raise UserError(message)


@router.get("/gebruikers")
def users_list(request: Request, viewer: Keeper) -> Response:
    return _users_page(request, viewer)


@router.post("/gebruikers")
def user_add(
    request: Request,
    viewer: Keeper,
    username: Annotated[str, Form()],
    display_name: Annotated[str, Form()] = "",
    roles: Annotated[list[str] | None, Form()] = None,
) -> Response:
    def work(db: Session) -> dict[str, Any]:
        if not roles:
            raise UserError("Kies minstens één rol.")
        user, password = add_user(db, username=username, roles=roles,
                                  display_name=display_name.strip() or None)  # fmt: skip
        append(db, actor=viewer.user.username, action="user_added",
               target=f"user:{user.username}", details={"roles": list(user.roles)},
               client=viewer.client)  # fmt: skip
        return {"secret": {"username": user.username, "password": password, "new": True}}

    return _act(request, viewer, work)


@router.post("/gebruikers/{username}/blokkeren")
def user_disable(request: Request, username: str, viewer: Keeper) -> Response:
    def work(db: Session) -> None:
        _not_self(viewer, username, "U kunt uw eigen account niet blokkeren.")
        user = set_active(db, username=username, active=False)
        end_user_sessions(db, user_id=user.user_id)
        append(db, actor=viewer.user.username, action="user_disabled",
               target=f"user:{user.username}", client=viewer.client)  # fmt: skip

    return _act(request, viewer, work)


@router.post("/gebruikers/{username}/deblokkeren")
def user_enable(request: Request, username: str, viewer: Keeper) -> Response:
    def work(db: Session) -> None:
        user = set_active(db, username=username, active=True)
        append(db, actor=viewer.user.username, action="user_enabled",
               target=f"user:{user.username}", client=viewer.client)  # fmt: skip

    return _act(request, viewer, work)


@router.post("/gebruikers/{username}/wachtwoord")
def user_reset_password(request: Request, username: str, viewer: Keeper) -> Response:
    """A new one-time password (lifts a lockout, signs the user out), shown once."""

    def work(db: Session) -> dict[str, Any]:
        _not_self(viewer, username, "Wijzig uw eigen wachtwoord via Mijn account.")
        password = reset_password(db, username=username)
        user = find_user(db, username=username)
        if user is None:  # reset_password has refused an unknown name already
            raise UserError(f"Gebruiker {username!r} bestaat niet.")
        end_user_sessions(db, user_id=user.user_id)
        append(db, actor=viewer.user.username, action="password_reset",
               target=f"user:{user.username}", client=viewer.client)  # fmt: skip
        return {"secret": {"username": user.username, "password": password, "new": False}}

    return _act(request, viewer, work)


@router.post("/gebruikers/{username}/rollen")
def user_roles(
    request: Request,
    username: str,
    viewer: Keeper,
    roles: Annotated[list[str] | None, Form()] = None,
) -> Response:
    def work(db: Session) -> None:
        if not roles:
            raise UserError("Kies minstens één rol.")
        if Role.beheerder.value not in roles:
            _not_self(viewer, username, "U kunt uzelf de rol beheerder niet afnemen.")
        user = set_roles(db, username=username, roles=roles)
        append(db, actor=viewer.user.username, action="roles_changed",
               target=f"user:{user.username}", details={"roles": list(user.roles)},
               client=viewer.client)  # fmt: skip

    return _act(request, viewer, work)


def _shown(value: Any) -> Any:
    """A setting's value for the table; mappings stay mappings (shown as a nested list)."""
    if isinstance(value, Mapping):
        return {str(k): v for k, v in value.items()}
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value)
    return value


def settings_sections(settings: Settings) -> list[dict[str, Any]]:
    """Every section with its settings, values and meaning; passwords in URLs hidden."""
    sections = []
    for name, cls in SECTIONS.items():
        current = getattr(settings, name)
        rows = []
        for spec in fields(cls):
            value = getattr(current, spec.name)
            if name == "database" and spec.name == "url" and value:
                value = make_url(value).render_as_string(hide_password=True)
            rows.append({"key": spec.name, "value": _shown(value), "doc": spec.metadata["doc"]})
        sections.append({"name": name, "doc": cls.__doc__ or "", "rows": rows})
    return sections


@router.get("/instellingen")
def settings_view(
    request: Request, viewer: Annotated[Viewer, Depends(page(Permission.settings))]
) -> Response:
    ctx = context(request)
    with ctx.tx() as db:
        append(db, actor=viewer.user.username, action="settings_viewed", target="settings",
               client=viewer.client)  # fmt: skip
    return render(request, "admin/settings.html", viewer,
                  sections=settings_sections(ctx.settings),
                  scenarios={k: dict(v) for k, v in ctx.settings.scenarios.items()},
                  source=ctx.settings.source)  # fmt: skip

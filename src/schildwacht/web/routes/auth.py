"""Signing in and out, choosing a password, choosing a language."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from schildwacht.app.audit.service import append
from schildwacht.app.auth.models import User
from schildwacht.app.auth.roles import Permission
from schildwacht.app.auth.service import LoginOutcome, authenticate, change_password
from schildwacht.app.auth.sessions import end_session, end_user_sessions, start_session
from schildwacht.errors import UserError
from schildwacht.web.deps import (
    PASSWORD_PATH,
    SESSION_COOKIE,
    Viewer,
    client_of,
    context,
    language,
    page,
)
from schildwacht.web.i18n import LANG_COOKIE, LANGUAGES, translations
from schildwacht.web.rendering import render
from schildwacht.web.security import csrf_ok

router = APIRouter()
LOGIN_CSRF_COOKIE = "sw_login_csrf"


def local_path(value: str | None, default: str = "/") -> str:
    """Only a path on this site: an open redirect would let a phishing mail abuse sign-in."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return default


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or context(request).settings.web.secure_cookies


def home_for(user: User) -> str:
    """The first page a user's roles lead to."""
    if user.can(Permission.alerts_read):
        return "/meldingen"
    if user.can(Permission.audit_read):
        return "/audit"
    if user.can(Permission.suppressions):
        return "/beheer/onderdrukkingen"
    return "/account"


@router.get("/")
def home(viewer: Annotated[Viewer, Depends(page())]) -> RedirectResponse:
    return RedirectResponse(home_for(viewer.user), status_code=303)


@router.get("/inloggen")
def login_form(request: Request, next: str = "/") -> Response:
    token = secrets.token_urlsafe(32)
    response = render(request, "auth/login.html", lang=language(request), login_csrf=token,
                      next=local_path(next))  # fmt: skip
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict",
                        secure=_secure(request), path="/inloggen")  # fmt: skip
    return response


def _login_message(outcome: LoginOutcome, wait: int, lang: str) -> str:
    _ = translations(lang).gettext
    if outcome == LoginOutcome.throttled:
        return _("Te veel mislukte pogingen. Probeer het over %(s)s seconden opnieuw.") % {
            "s": wait
        }
    if outcome == LoginOutcome.locked:
        return _(
            "Dit account is tijdelijk geblokkeerd. Probeer het over %(m)s minuten opnieuw."
        ) % {"m": max(1, (wait + 59) // 60)}
    return _("Gebruikersnaam of wachtwoord onjuist, of het account is niet actief.")


@router.post("/inloggen")
def login(
    request: Request,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    ctx, lang, client = context(request), language(request), client_of(request)
    if not csrf_ok(request.cookies.get(LOGIN_CSRF_COOKIE, ""), csrf_token):
        return render(request, "errors/error.html", lang=lang, status_code=403, status=403,
                      title=translations(lang).gettext("Formulier verlopen"),
                      message=translations(lang).gettext(
                          "Het formulier is verlopen. Laad de inlogpagina opnieuw."))  # fmt: skip
    with ctx.tx() as db:
        result = authenticate(db, username=username, password=password, rules=ctx.settings.web)
        if result.outcome != LoginOutcome.ok or result.user is None:
            append(db, actor=username.strip().lower()[:64] or "-", action="login_failed",
                   details={"outcome": result.outcome.value}, client=client)  # fmt: skip
        else:
            token, _session = start_session(db, user=result.user, rules=ctx.settings.web)
            append(db, actor=result.user.username, action="login", client=client)
    if result.outcome != LoginOutcome.ok or result.user is None:
        message = _login_message(result.outcome, result.wait_seconds, lang)
        return render(request, "auth/login.html", lang=lang, status_code=401,
                      login_csrf=csrf_token, next=local_path(next), username=username,
                      error=message)  # fmt: skip
    target = PASSWORD_PATH if result.user.must_change_password else local_path(next)
    if target == "/":
        target = home_for(result.user)
    redirect = RedirectResponse(target, status_code=303)
    redirect.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="strict",
                        secure=_secure(request), path="/")  # fmt: skip
    redirect.delete_cookie(LOGIN_CSRF_COOKIE, path="/inloggen")
    return redirect


@router.post("/uitloggen")
def logout(request: Request, viewer: Annotated[Viewer, Depends(page())]) -> Response:
    ctx = context(request)
    with ctx.tx() as db:
        if viewer.session is not None:
            end_session(db, token_hash=viewer.session.token_hash)
        append(db, actor=viewer.user.username, action="logout", client=viewer.client)
    response = RedirectResponse("/inloggen", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get(PASSWORD_PATH)
def password_form(request: Request, viewer: Annotated[Viewer, Depends(page())]) -> Response:
    return render(request, "auth/password.html", viewer,
                  min_length=context(request).settings.web.min_password_length)  # fmt: skip


@router.post(PASSWORD_PATH)
def password_change(
    request: Request,
    viewer: Annotated[Viewer, Depends(page())],
    current: Annotated[str, Form()],
    new: Annotated[str, Form()],
    repeat: Annotated[str, Form()],
) -> Response:
    ctx = context(request)
    _ = translations(viewer.lang).gettext
    try:
        if new != repeat:
            raise UserError(_("De twee nieuwe wachtwoorden zijn niet gelijk."))
        with ctx.tx() as db:
            change_password(db, user_id=viewer.user.user_id, current=current, new=new,
                            rules=ctx.settings.web)  # fmt: skip
            keep = viewer.session.token_hash if viewer.session else None
            end_user_sessions(db, user_id=viewer.user.user_id, keep=keep)
            append(db, actor=viewer.user.username, action="password_changed",
                   client=viewer.client)  # fmt: skip
    except UserError as error:
        minimum = ctx.settings.web.min_password_length
        return render(request, "auth/password.html", viewer, status_code=400,
                      error=_(str(error)), min_length=minimum)  # fmt: skip
    return RedirectResponse(home_for(viewer.user), status_code=303)


@router.get("/taal/{lang}")
def choose_language(request: Request, lang: str, terug: str = "/") -> Response:
    response = RedirectResponse(local_path(terug), status_code=303)
    if lang in LANGUAGES:
        response.set_cookie(LANG_COOKIE, lang, httponly=True, samesite="lax",
                            secure=_secure(request), max_age=365 * 24 * 3600, path="/")  # fmt: skip
    return response

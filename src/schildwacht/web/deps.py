"""Who is asking: the signed-in user of a request, checked against the route's permission.

Routes are closed by default: a page route takes ``Depends(page(Permission.x))`` and an API
route ``Depends(api(Permission.x))``. Unsafe methods (POST and the like) on pages must carry
the session's CSRF token, as a form field or the ``X-CSRF-Token`` header htmx sends. API
calls carry a personal access token instead of a cookie, so CSRF does not apply to them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from fastapi import Request

from schildwacht.app.audit.service import append
from schildwacht.app.auth.models import User
from schildwacht.app.auth.roles import Permission
from schildwacht.app.auth.sessions import WebSession, resume_session, token_user
from schildwacht.errors import PermissionDenied
from schildwacht.web.context import WebContext
from schildwacht.web.i18n import LANG_COOKIE, pick_language
from schildwacht.web.security import csrf_ok

SESSION_COOKIE = "sw_session"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
PASSWORD_PATH = "/account/wachtwoord"


class LoginRequired(Exception):
    """No (live) session: pages redirect to the sign-in page, the API answers 401."""


class PasswordChangeRequired(Exception):
    """Signed in with a one-time password: every page leads to the password form first."""


class CsrfFailed(Exception):
    """A form arrived without the session's CSRF token (HTTP 403)."""


@dataclass(frozen=True)
class Viewer:
    """The user behind this request and where the request came from."""

    user: User
    client: str | None
    lang: str
    session: WebSession | None = None  # None when signed in with an API token

    @property
    def csrf_token(self) -> str:
        return self.session.csrf_token if self.session else ""


def context(request: Request) -> WebContext:
    ctx: WebContext = request.app.state.ctx
    return ctx


def client_of(request: Request) -> str | None:
    return request.client.host if request.client else None


def language(request: Request) -> str:
    return pick_language(request.cookies.get(LANG_COOKIE))


async def _check_csrf(request: Request, session: WebSession) -> None:
    if request.method in SAFE_METHODS:
        return
    submitted = request.headers.get("X-CSRF-Token")
    if not submitted:
        form = await request.form()
        value = form.get("csrf_token")
        submitted = value if isinstance(value, str) else None
    if not csrf_ok(session.csrf_token, submitted):
        raise CsrfFailed()


def _record_refusal(ctx: WebContext, request: Request, user: User, permission: Permission) -> None:
    """A refused attempt is recorded too: an analyst trying to re-identify someone, or a
    beheerder opening alerts, is exactly what the auditor needs to see."""
    with ctx.tx() as db:
        append(
            db, actor=user.username, action="access_denied",
            target=f"{request.method} {request.url.path}",
            details={"permission": permission.value}, client=client_of(request),
        )  # fmt: skip


def page(permission: Permission | None = None) -> Callable[[Request], Awaitable[Viewer]]:
    """A dependency: the signed-in user, who must hold ``permission`` (None: any user)."""

    async def dependency(request: Request) -> Viewer:
        ctx = context(request)
        token = request.cookies.get(SESSION_COOKIE)
        live: WebSession | None = None
        if token:
            with ctx.tx() as db:
                live = resume_session(db, token=token, rules=ctx.settings.web)
        if live is None:
            raise LoginRequired()
        if live.user.must_change_password and request.url.path != PASSWORD_PATH:
            raise PasswordChangeRequired()
        await _check_csrf(request, live)
        if permission is not None and not live.user.can(permission):
            _record_refusal(ctx, request, live.user, permission)
            raise PermissionDenied(f"uw rol geeft geen toegang tot deze pagina ({permission})")
        return Viewer(live.user, client_of(request), language(request), live)

    return dependency


def api(permission: Permission | None = None) -> Callable[[Request], Awaitable[Viewer]]:
    """A dependency for ``/api/v1``: the user of the bearer token, holding ``permission``."""

    async def dependency(request: Request) -> Viewer:
        ctx = context(request)
        header = request.headers.get("Authorization", "")
        scheme, _, secret = header.partition(" ")
        user: User | None = None
        if scheme.lower() == "bearer" and secret.strip():
            with ctx.tx() as db:
                user = token_user(db, secret=secret.strip())
        if user is None:
            raise LoginRequired()
        if permission is not None and not user.can(permission):
            _record_refusal(ctx, request, user, permission)
            raise PermissionDenied(f"het token geeft geen recht op deze handeling ({permission})")
        return Viewer(user, client_of(request), language(request))

    return dependency

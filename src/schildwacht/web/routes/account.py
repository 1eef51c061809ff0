"""My account: who I am, my roles, and my personal access tokens for the API.

A token's secret is shown once, on the page that answers its creation; only its SHA-256 is
stored. Creating and revoking tokens is recorded in the audit trail.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from schildwacht.app.audit.service import append
from schildwacht.app.auth.roles import ROLE_LABELS_NL, Role
from schildwacht.app.auth.sessions import create_token, list_tokens, revoke_token
from schildwacht.app.base import utc_now
from schildwacht.errors import UserError
from schildwacht.web.deps import Viewer, context, page
from schildwacht.web.i18n import translations
from schildwacht.web.rendering import render

router = APIRouter(prefix="/account")
Me = Annotated[Viewer, Depends(page())]
MAX_TOKEN_DAYS = 366


def _page(request: Request, viewer: Viewer, *, status_code: int = 200, **values: Any) -> Response:
    with context(request).tx() as db:
        tokens = list_tokens(db, user_id=viewer.user.user_id)
    labels = {r.value: ROLE_LABELS_NL[r] for r in Role}
    return render(request, "account/index.html", viewer, status_code=status_code,
                  tokens=tokens, role_labels=labels, now=utc_now(),
                  max_days=MAX_TOKEN_DAYS, **values)  # fmt: skip


@router.get("")
def account(request: Request, viewer: Me) -> Response:
    return _page(request, viewer)


@router.post("/tokens")
def token_create(
    request: Request,
    viewer: Me,
    name: Annotated[str, Form()] = "",
    days: Annotated[str, Form()] = "90",
) -> Response:
    """A new token with the user's own roles; the secret is on this response and nowhere else."""
    _ = translations(viewer.lang).gettext
    valid = int(days) if days.strip().isdigit() else 0
    if not name.strip():
        error = _("Geef het token een naam die zegt waarvoor het is.")
    elif not 1 <= valid <= MAX_TOKEN_DAYS:
        error = _("Een token is 1 tot %(n)s dagen geldig.") % {"n": MAX_TOKEN_DAYS}
    else:
        error = None
    if error:
        return _page(request, viewer, status_code=400, error=error, form={"name": name,
                     "days": days})  # fmt: skip
    try:
        with context(request).tx() as db:
            secret, token = create_token(db, user=viewer.user, name=name, days=valid)
            append(db, actor=viewer.user.username, action="token_created",
                   target=f"user:{viewer.user.username}",
                   details={"token": token.token_id, "name": token.name, "days": valid},
                   client=viewer.client)  # fmt: skip
    except UserError as failure:
        return _page(request, viewer, status_code=400, error=_(str(failure)))
    return _page(request, viewer, secret=secret, created=token)


@router.post("/tokens/{token_id}/intrekken")
def token_revoke(request: Request, token_id: int, viewer: Me) -> Response:
    try:
        with context(request).tx() as db:
            mine = {t.token_id: t for t in list_tokens(db, user_id=viewer.user.user_id)}
            token = revoke_token(db, user_id=viewer.user.user_id, token_id=token_id)
            if token_id in mine and mine[token_id].revoked_at is None:  # once, not per click
                append(db, actor=viewer.user.username, action="token_revoked",
                       target=f"user:{viewer.user.username}",
                       details={"token": token.token_id, "name": token.name},
                       client=viewer.client)  # fmt: skip
    except UserError:
        message = translations(viewer.lang).gettext("Dit token bestaat niet of is niet van u.")
        return _page(request, viewer, status_code=404, error=message)
    return RedirectResponse("/account", status_code=303)

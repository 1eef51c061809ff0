"""My account: own name and roles, personal access tokens shown once, revocable, audited."""

from __future__ import annotations

import re
from collections.abc import Callable

import sqlalchemy as sa
from fastapi.testclient import TestClient

from schildwacht.app.audit.models import AuditRecord
from schildwacht.app.auth.sessions import token_user
from schildwacht.web.context import WebContext
from tests.web.conftest import csrf_of

Client = Callable[..., TestClient]


def audited(ctx: WebContext, action: str) -> list[AuditRecord]:
    with ctx.tx() as db:
        rows = db.execute(sa.select(AuditRecord).where(AuditRecord.action == action))
        return list(rows.scalars())


def test_every_signed_in_user_has_an_account_page(app_client: Client) -> None:
    response = app_client().get("/account", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/inloggen")
    for role in ("beheerder", "auditor"):
        page = app_client(f"mw-{role}", role).get("/account")
        assert page.status_code == 200, role
        assert f"mw-{role}" in page.text and 'href="/account/wachtwoord"' in page.text
    both = app_client("dubbel", "analist", "auditor").get("/account").text
    assert "Analist" in both and "Auditor" in both


def test_a_token_is_shown_once_works_and_can_be_revoked(
    app_client: Client, web_ctx: WebContext
) -> None:
    client = app_client("po1", "privacy_officer")
    token = csrf_of(client.get("/account").text)
    form = {"name": "rapportage", "days": "30"}
    assert client.post("/account/tokens", data=form).status_code == 403

    created = client.post("/account/tokens", data={"name": "rapportage", "days": "30",
                                                    "csrf_token": token})  # fmt: skip
    assert created.status_code == 200
    found = re.search(r'<code class="sw-secret">(swpat_[^<]+)</code>', created.text)
    assert found
    secret = found.group(1)
    with web_ctx.tx() as db:
        user = token_user(db, secret=secret)
    assert user is not None and user.username == "po1"
    (entry,) = audited(web_ctx, "token_created")
    assert entry.actor == "po1" and entry.details["name"] == "rapportage"
    token_id = entry.details["token"]

    listing = client.get("/account").text
    assert secret not in listing
    assert "rapportage" in listing and secret[:10] in listing
    assert client.get("/api/v1/openapi.json").status_code == 200

    revoke = f"/account/tokens/{token_id}/intrekken"
    assert client.post(revoke, follow_redirects=False).status_code == 403
    revoked = client.post(revoke, data={"csrf_token": token}, follow_redirects=False)
    assert revoked.status_code == 303 and revoked.headers["location"] == "/account"
    with web_ctx.tx() as db:
        assert token_user(db, secret=secret) is None
    assert "ingetrokken op" in client.get("/account").text
    client.post(revoke, data={"csrf_token": token})
    assert len(audited(web_ctx, "token_revoked")) == 1
    assert len(audited(web_ctx, "token_created")) == 1


def test_tokens_of_others_and_bad_forms_are_refused(
    app_client: Client, web_ctx: WebContext
) -> None:
    owner = app_client("eigenaar", "analist")
    token = csrf_of(owner.get("/account").text)
    owner.post("/account/tokens", data={"name": "nachtbatch", "days": "7", "csrf_token": token})
    (entry,) = audited(web_ctx, "token_created")

    other = app_client("ander", "analist")
    other_csrf = csrf_of(other.get("/account").text)
    stolen = other.post(f"/account/tokens/{entry.details['token']}/intrekken",
                        data={"csrf_token": other_csrf})  # fmt: skip
    assert stolen.status_code == 404
    assert "nachtbatch" not in other.get("/account").text
    assert audited(web_ctx, "token_revoked") == []

    for bad in ({"name": "", "days": "30"}, {"name": "x", "days": "0"},
                {"name": "x", "days": "9999"}):  # fmt: skip
        response = owner.post("/account/tokens", data=bad | {"csrf_token": token})
        assert response.status_code == 400, bad
        assert 'role="alert"' in response.text
    assert len(audited(web_ctx, "token_created")) == 1

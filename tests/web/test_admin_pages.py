"""Beheer pages: suppressions, accounts and settings, each change audited exactly once."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import sqlalchemy as sa
from fastapi.testclient import TestClient

from schildwacht.app.audit.models import AuditRecord
from schildwacht.app.auth.service import find_user
from schildwacht.app.suppressions.service import add_suppression, list_suppressions
from schildwacht.web.context import WebContext
from tests.web.conftest import csrf_of

Client = Callable[..., TestClient]
SUPPRESSIONS = "/beheer/onderdrukkingen"
USERS = "/beheer/gebruikers"


def audited(ctx: WebContext, action: str) -> list[AuditRecord]:
    with ctx.tx() as db:
        rows = db.execute(sa.select(AuditRecord).where(AuditRecord.action == action))
        return list(rows.scalars())


def one_time_password(html: str) -> str:
    found = re.search(r'<code class="sw-secret">([^<]+)</code>', html)
    assert found, "no one-time password on the page"
    return found.group(1)


def test_only_the_beheerder_reaches_the_beheer_pages(app_client: Client) -> None:
    anonymous = app_client()
    for path in (SUPPRESSIONS, USERS, "/beheer/instellingen"):
        response = anonymous.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/inloggen")
    for role in ("analist", "privacy_officer"):
        client = app_client(f"geen-{role}", role)
        for path in (SUPPRESSIONS, USERS, "/beheer/instellingen"):
            assert client.get(path).status_code == 403, (role, path)
    keeper = app_client("beheer1", "beheerder")
    for path in ("/meldingen", "/dossiers", "/inzage"):
        assert keeper.get(path).status_code == 403, path
    for path in (SUPPRESSIONS, USERS, "/beheer/instellingen", "/account"):
        assert keeper.get(path).status_code == 200, path


def test_add_and_remove_a_suppression(app_client: Client, web_ctx: WebContext) -> None:
    client = app_client("beheer1", "beheerder")
    token = csrf_of(client.get(SUPPRESSIONS).text)
    form = {"scenario": "bulk", "team": "Publiekszaken Balie", "subject_bsn": "123456782",
            "reason": "Verkiezingscontrole kiezerslijst", "expires_on": "2099-12-31",
            "period_from": "2026-03-02", "period_until": "2026-03-03"}  # fmt: skip
    assert client.post(SUPPRESSIONS, data=form, follow_redirects=False).status_code == 403

    added = client.post(SUPPRESSIONS, data=form | {"csrf_token": token}, follow_redirects=False)
    assert added.status_code == 303
    with web_ctx.tx() as db:
        (stored,) = list_suppressions(db)
    assert stored.team == "Publiekszaken Balie" and stored.created_by == "beheer1"
    (entry,) = audited(web_ctx, "suppression_added")
    assert entry.actor == "beheer1" and entry.target == f"suppression:{stored.id}"

    page = client.get(SUPPRESSIONS).text
    assert "Verkiezingscontrole kiezerslijst" in page and "2099-12-31" in page
    assert "123456782" not in page and "••••••782" in page
    assert "2026-03-02" in page and "2026-03-03" in page

    removed = client.post(f"{SUPPRESSIONS}/{stored.id}/verwijderen", data={"csrf_token": token},
                          follow_redirects=False)  # fmt: skip
    assert removed.status_code == 303
    with web_ctx.tx() as db:
        assert list_suppressions(db, include_expired=True) == []
    assert len(audited(web_ctx, "suppression_removed")) == 1
    assert len(audited(web_ctx, "suppression_added")) == 1

    again = client.post(f"{SUPPRESSIONS}/{stored.id}/verwijderen", data={"csrf_token": token})
    assert again.status_code == 400
    assert len(audited(web_ctx, "suppression_removed")) == 1


def test_a_refused_suppression_shows_the_form_again(
    app_client: Client, web_ctx: WebContext
) -> None:
    client = app_client("beheer1", "beheerder")
    token = csrf_of(client.get(SUPPRESSIONS).text)
    nothing = client.post(SUPPRESSIONS, data={"reason": "Alles stil", "expires_on": "2099-01-01",
                                              "csrf_token": token})  # fmt: skip
    assert nothing.status_code == 400
    assert 'role="alert"' in nothing.text and "Alles stil" in nothing.text
    bad = {"team": "X", "reason": "r", "expires_on": "morgen", "csrf_token": token}
    bad_date = client.post(SUPPRESSIONS, data=bad)
    assert bad_date.status_code == 400 and "JJJJ-MM-DD" in bad_date.text
    assert audited(web_ctx, "suppression_added") == []


def test_expired_suppressions_are_listed_and_marked(
    app_client: Client, web_ctx: WebContext
) -> None:
    with web_ctx.tx() as db:
        add_suppression(db, reason="Oude actie", expires_on=date(2020, 6, 1), created_by="cli",
                        team="Oud team", today=date(2020, 1, 1))  # fmt: skip
    page = app_client("beheer1", "beheerder").get(SUPPRESSIONS).text
    assert "Oude actie" in page and "(verlopen)" in page


def test_account_management_shows_one_time_passwords_once(
    app_client: Client, web_ctx: WebContext
) -> None:
    keeper = app_client("beheer1", "beheerder")
    token = csrf_of(keeper.get(USERS).text)
    form = {"username": "nieuw1", "display_name": "Nieuwe Collega",
            "roles": ["analist", "privacy_officer"]}  # fmt: skip
    assert keeper.post(USERS, data=form).status_code == 403

    created = keeper.post(USERS, data=form | {"csrf_token": token})
    assert created.status_code == 200
    password = one_time_password(created.text)
    assert keeper.get(USERS).text.count(password) == 0
    (entry,) = audited(web_ctx, "user_added")
    assert entry.target == "user:nieuw1" and entry.actor == "beheer1"
    assert entry.details == {"roles": ["analist", "privacy_officer"]}

    newcomer = app_client()
    page = newcomer.get("/inloggen")
    signed_in = newcomer.post("/inloggen", follow_redirects=False, data={
        "username": "nieuw1", "password": password, "csrf_token": csrf_of(page.text)})  # fmt: skip
    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == "/account/wachtwoord"

    blocked = keeper.post(f"{USERS}/nieuw1/blokkeren", data={"csrf_token": token},
                          follow_redirects=False)  # fmt: skip
    assert blocked.status_code == 303
    with web_ctx.tx() as db:
        user = find_user(db, username="nieuw1")
        assert user is not None and not user.active
    after = newcomer.get("/account/wachtwoord", follow_redirects=False)
    assert after.status_code == 303 and after.headers["location"].startswith("/inloggen")
    keeper.post(f"{USERS}/nieuw1/deblokkeren", data={"csrf_token": token})

    reset = keeper.post(f"{USERS}/nieuw1/wachtwoord", data={"csrf_token": token})
    second = one_time_password(reset.text)
    assert second != password

    roles = keeper.post(f"{USERS}/nieuw1/rollen", data={"roles": ["auditor"], "csrf_token": token},
                        follow_redirects=False)  # fmt: skip
    assert roles.status_code == 303
    with web_ctx.tx() as db:
        user = find_user(db, username="nieuw1")
        assert user is not None and user.active and user.roles == ("auditor",)
    for action in ("user_added", "user_disabled", "user_enabled", "password_reset",
                   "roles_changed"):  # fmt: skip
        assert len(audited(web_ctx, action)) == 1, action

    duplicate = keeper.post(USERS, data=form | {"csrf_token": token})
    assert duplicate.status_code == 400 and 'role="alert"' in duplicate.text
    itself = keeper.post(f"{USERS}/beheer1/blokkeren", data={"csrf_token": token})
    assert itself.status_code == 400
    assert len(audited(web_ctx, "user_added")) == 1
    assert len(audited(web_ctx, "user_disabled")) == 1


def test_the_settings_page_is_read_only_and_audited(
    app_client: Client, web_ctx: WebContext
) -> None:
    client = app_client("beheer1", "beheerder")
    page = client.get("/beheer/instellingen")
    assert page.status_code == 200
    for text in ("[scoring]", "alert_threshold", "[web]", "session_idle_minutes", "[triage]"):
        assert text in page.text
    assert "<form" not in page.text.split('<main id="inhoud"', 1)[1]
    assert len(audited(web_ctx, "settings_viewed")) == 1

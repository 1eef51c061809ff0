"""Dossier pages: open a dossier from alerts, add an alert, view it with pseudonyms only."""

from __future__ import annotations

import re
from collections.abc import Callable

import sqlalchemy as sa
from fastapi.testclient import TestClient

from schildwacht.app.alerts.models import AlertRecord
from schildwacht.app.audit.models import AuditRecord
from schildwacht.web.context import WebContext
from tests.web.conftest import csrf_of

Client = Callable[..., TestClient]


def audit_count(ctx: WebContext, action: str) -> int:
    with ctx.tx() as db:
        query = sa.select(sa.func.count()).where(AuditRecord.action == action)
        return int(db.execute(query).scalar_one())


def alerts_by_employee(ctx: WebContext) -> dict[str, list[str]]:
    """Alert ids per employee, highest score first."""
    with ctx.tx() as db:
        rows = db.execute(
            sa.select(AlertRecord.employee_id, AlertRecord.alert_id).order_by(
                AlertRecord.score.desc()
            )
        ).all()
    found: dict[str, list[str]] = {}
    for employee_id, alert_id in rows:
        found.setdefault(employee_id, []).append(alert_id)
    return found


def test_roles_and_sign_in_guard_the_dossier_pages(app_client: Client) -> None:
    anonymous = app_client()
    response = anonymous.get("/dossiers", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/inloggen")
    keeper = app_client("beheer1", "beheerder")
    assert keeper.get("/dossiers").status_code == 403
    assert keeper.get("/dossiers/1").status_code == 403
    analyst = app_client("analist1", "analist")
    assert analyst.get("/dossiers").status_code == 200


def test_open_a_dossier_add_an_alert_and_view_it(app_client: Client, web_ctx: WebContext) -> None:
    employee, ids = next((e, a) for e, a in alerts_by_employee(web_ctx).items() if len(a) >= 2)
    client = app_client("po1", "privacy_officer")
    token = csrf_of(client.get("/dossiers").text)

    refused = client.post("/dossiers", data={"title": "Zonder token", "alert_ids": ids[0]},
                          follow_redirects=False)  # fmt: skip
    assert refused.status_code == 403

    created = client.post(
        "/dossiers",
        data={"title": "Onderzoek buren", "alert_ids": ids[0], "description": "Eerste opzet",
              "csrf_token": token},
        follow_redirects=False,
    )  # fmt: skip
    assert created.status_code == 303
    location = created.headers["location"]
    assert re.fullmatch(r"/dossiers/\d+", location)
    dossier_id = int(location.rsplit("/", 1)[1])
    assert audit_count(web_ctx, "dossier_created") == 1

    form = {"dossier_id": dossier_id, "alert_id": ids[1], "csrf_token": token}
    added = client.post("/dossiers/toevoegen", data=form, follow_redirects=False)
    assert added.status_code == 303
    assert added.headers["location"] == f"/meldingen/{ids[1]}#werkstroom"
    assert audit_count(web_ctx, "dossier_alert_added") == 1

    page = client.get(location)
    assert page.status_code == 200
    assert "Onderzoek buren" in page.text and "Eerste opzet" in page.text
    assert f'href="/meldingen/{ids[0]}"' in page.text
    assert f'href="/meldingen/{ids[1]}"' in page.text
    assert web_ctx.pseudonym(employee) in page.text
    assert employee not in page.text
    assert audit_count(web_ctx, "view_dossier") == 1
    client.get(location)
    assert audit_count(web_ctx, "view_dossier") == 2

    listing = client.get("/dossiers")
    assert f'href="/dossiers/{dossier_id}"' in listing.text
    assert web_ctx.pseudonym(employee) in listing.text and employee not in listing.text


def test_a_dossier_about_two_employees_is_refused_on_the_form(
    app_client: Client, web_ctx: WebContext
) -> None:
    by_employee = alerts_by_employee(web_ctx)
    first, second = (ids[0] for ids in list(by_employee.values())[:2])
    client = app_client("po2", "privacy_officer")
    token = csrf_of(client.get("/dossiers").text)
    response = client.post("/dossiers", data={"title": "Te breed", "alert_ids": [first, second],
                                               "csrf_token": token})  # fmt: skip
    assert response.status_code == 400
    assert "één medewerker" in response.text
    assert 'value="Te breed"' in response.text
    assert audit_count(web_ctx, "dossier_created") == 0
    missing = client.get("/dossiers/9999")
    assert missing.status_code == 404

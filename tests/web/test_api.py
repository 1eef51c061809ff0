"""``/api/v1``: bearer tokens, roles, the alert list and detail, errors, the OpenAPI document.

The workflow acts (four eyes, conflicts, dossiers, suppressions) are in
``test_api_workflow.py``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from schildwacht.app.alerts.models import AlertRecord
from schildwacht.app.alerts.queue import AMSTERDAM
from schildwacht.app.audit.models import AuditRecord
from schildwacht.app.audit.service import verify
from schildwacht.app.auth.service import find_user, set_active
from schildwacht.app.auth.sessions import create_token, list_tokens, revoke_token
from schildwacht.app.base import utc_now
from schildwacht.web.context import WebContext
from tests.web.conftest import make_user

API = "/api/v1"
PROBLEM = "application/problem+json"


def token_for(ctx: WebContext, username: str, *roles: str) -> str:
    """A new user with ``roles`` and a personal access token of theirs (the secret)."""
    make_user(ctx, username, *roles)
    with ctx.tx() as db:
        user = find_user(db, username=username)
        assert user is not None
        secret, _ = create_token(db, user=user, name="tests")
    return secret


def auth(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = response.json()
    assert body["type"] == "about:blank"
    assert body["status"] == status
    assert isinstance(body["title"], str) and body["title"]
    return body


def invalid_names(response: Any) -> set[str]:
    body = assert_problem(response, 400)
    return {p["name"] for p in body["invalidParams"]}


def strings(value: Any) -> Iterator[str]:
    """Every string in a JSON value, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def raw_alerts(ctx: WebContext) -> list[AlertRecord]:
    with ctx.tx() as db:
        rows = list(db.execute(sa.select(AlertRecord)).scalars())
        db.expunge_all()
    return rows


# --- who may call -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/alerts"), ("GET", "/me"), ("POST", "/alerts/A-0/status"), ("GET", "/dossiers")],
)
def test_no_token_is_a_401_problem(client: TestClient, method: str, path: str) -> None:
    response = client.request(method, API + path, json={"action": "start_investigation"})
    body = assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert "Bearer" in body["detail"]


@pytest.mark.parametrize(
    "header",
    ["Bearer swpat_not-a-real-token", "Bearer ", "Basic cG8xOnB3", "swpat_no-scheme"],
)
def test_a_wrong_token_is_a_401_problem(client: TestClient, header: str) -> None:
    assert_problem(client.get(f"{API}/alerts", headers={"Authorization": header}), 401)


def test_a_revoked_token_is_a_401_problem(client: TestClient, web_ctx: WebContext) -> None:
    secret = token_for(web_ctx, "po1", "privacy_officer")
    assert client.get(f"{API}/me", headers=auth(secret)).status_code == 200
    with web_ctx.tx() as db:
        user = find_user(db, username="po1")
        assert user is not None
        (token,) = list_tokens(db, user_id=user.user_id)
        revoke_token(db, user_id=user.user_id, token_id=token.token_id)
    assert_problem(client.get(f"{API}/me", headers=auth(secret)), 401)


def test_an_expired_token_or_disabled_user_is_a_401_problem(
    client: TestClient, web_ctx: WebContext
) -> None:
    make_user(web_ctx, "po_old", "privacy_officer")
    with web_ctx.tx() as db:
        user = find_user(db, username="po_old")
        assert user is not None
        expired, _ = create_token(
            db, user=user, name="old", days=1, now=utc_now() - timedelta(days=2)
        )
    assert_problem(client.get(f"{API}/me", headers=auth(expired)), 401)
    secret = token_for(web_ctx, "po_gone", "privacy_officer")
    with web_ctx.tx() as db:
        set_active(db, username="po_gone", active=False)
    assert_problem(client.get(f"{API}/me", headers=auth(secret)), 401)


def test_me_shows_the_tokens_user(client: TestClient, web_ctx: WebContext) -> None:
    secret = token_for(web_ctx, "an1", "analist")
    body = client.get(f"{API}/me", headers=auth(secret)).json()
    assert body["username"] == "an1"
    assert body["roles"] == ["analist"]
    assert "alerts_triage" in body["permissions"]
    assert "alerts_decide" not in body["permissions"]


def test_a_beheerder_may_not_read_alerts(client: TestClient, web_ctx: WebContext) -> None:
    secret = token_for(web_ctx, "admin1", "beheerder")
    assert_problem(client.get(f"{API}/alerts", headers=auth(secret)), 403)
    alert_id = raw_alerts(web_ctx)[0].alert_id
    assert_problem(client.get(f"{API}/alerts/{alert_id}", headers=auth(secret)), 403)
    assert_problem(client.get(f"{API}/dossiers", headers=auth(secret)), 403)


def test_an_analist_may_not_close_an_alert(client: TestClient, web_ctx: WebContext) -> None:
    secret = token_for(web_ctx, "an1", "analist")
    alert_id = raw_alerts(web_ctx)[0].alert_id
    response = client.post(
        f"{API}/alerts/{alert_id}/status",
        headers=auth(secret),
        json={"action": "close", "resolution": "legitiem_overig", "note": "Zaak gevonden."},
    )
    assert_problem(response, 403)
    with web_ctx.tx() as db:
        row = db.get(AlertRecord, alert_id)
        assert row is not None and row.status == "nieuw"
    assert_problem(client.get(f"{API}/suppressions", headers=auth(secret)), 403)


# --- the list -----------------------------------------------------------------------------


def test_the_list_is_sorted_by_score_and_paged(client: TestClient, web_ctx: WebContext) -> None:
    secret = token_for(web_ctx, "an1", "analist")
    rows = raw_alerts(web_ctx)
    first = client.get(f"{API}/alerts", headers=auth(secret)).json()
    assert first["total"] == len(rows) == len(first["items"])
    assert first["page"] == 1 and first["page_size"] == 50
    scores = [a["score"] for a in first["items"]]
    assert scores == sorted(scores, reverse=True)
    assert first["counts_by_status"] == {"nieuw": len(rows), "in_onderzoek": 0, "afgesloten": 0}

    seen: list[str] = []
    href: str | None = f"{API}/alerts?page_size=5"
    while href:
        page = client.get(href, headers=auth(secret)).json()
        assert len(page["items"]) <= 5
        seen += [a["alert_id"] for a in page["items"]]
        href = page["links"].get("next", {}).get("href")
    assert seen == [a["alert_id"] for a in first["items"]]
    assert page["page"] == -(-len(rows) // 5)
    assert page["links"]["last"] == page["links"]["self"]
    assert "prev" in page["links"]

    beyond = client.get(f"{API}/alerts?page=99&page_size=5", headers=auth(secret)).json()
    assert beyond["items"] == [] and beyond["total"] == len(rows)


def test_the_list_filters(client: TestClient, web_ctx: WebContext) -> None:
    secret = token_for(web_ctx, "an1", "analist")
    rows = raw_alerts(web_ctx)

    def ids(query: str) -> set[str]:
        response = client.get(f"{API}/alerts?{query}", headers=auth(secret))
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["total"] == len(body["items"])
        return {a["alert_id"] for a in body["items"]}

    scenario = rows[0].scenarios[0]
    assert ids(f"scenario={scenario}") == {r.alert_id for r in rows if scenario in r.scenarios}
    department = next(r.department for r in rows if r.department)
    assert ids(f"department={department}") == {
        r.alert_id for r in rows if r.department == department
    }
    assert ids("status=nieuw") == {r.alert_id for r in rows}
    assert ids("status=afgesloten") == set()
    assert ids("scenario=no_such_scenario") == set()

    # dates are Dutch local days: alerts with activity in [from, to]
    day = min(r.last_seen for r in rows).astimezone(AMSTERDAM).date()
    expected_from = {r.alert_id for r in rows if r.last_seen.astimezone(AMSTERDAM).date() >= day}
    assert ids(f"from={day.isoformat()}") == expected_from
    expected_to = {r.alert_id for r in rows if r.first_seen.astimezone(AMSTERDAM).date() <= day}
    assert ids(f"to={day.isoformat()}") == expected_to
    assert 0 < len(expected_to) < len(rows)


def test_lists_never_show_employee_ids_or_full_bsns(
    client: TestClient, web_ctx: WebContext
) -> None:
    rows = raw_alerts(web_ctx)
    employees = {r.employee_id for r in rows}
    bsns = {b for r in rows for b in r.subject_bsns}
    assert employees and bsns
    for username, role in (("an1", "analist"), ("po1", "privacy_officer")):
        secret = token_for(web_ctx, username, role)
        response = client.get(f"{API}/alerts?page_size=200", headers=auth(secret))
        body = response.json()
        values = set(strings(body))
        assert not values & employees
        assert not any(bsn in response.text for bsn in bsns)
        for item, row in zip(
            body["items"], sorted(rows, key=lambda r: (-r.score, r.alert_id)), strict=True
        ):
            assert item["alert_id"] == row.alert_id
            assert item["employee"] == web_ctx.pseudonym(row.employee_id)
            assert re.fullmatch(r"MW-[A-Z2-7]{4}-[A-Z2-7]{4}", item["employee"])
            assert item["subject_bsns"] == ["••••••" + b[-3:] for b in row.subject_bsns]
            assert datetime.fromisoformat(item["first_seen"]).utcoffset() is not None


# --- one alert ----------------------------------------------------------------------------


def test_the_detail_has_reasons_and_opening_it_is_audited(
    client: TestClient, web_ctx: WebContext
) -> None:
    secret = token_for(web_ctx, "an1", "analist")
    row = max(raw_alerts(web_ctx), key=lambda r: r.score)
    response = client.get(f"{API}/alerts/{row.alert_id}", headers=auth(secret))
    assert response.status_code == 200
    body = response.json()
    assert body["alert_id"] == row.alert_id
    assert body["employee"] == web_ctx.pseudonym(row.employee_id)
    assert row.employee_id not in set(strings(body))
    assert not any(bsn in response.text for bsn in row.subject_bsns)
    assert [r["code"] for r in body["reasons"]] == [r["code"] for r in row.reasons]
    assert set(body["reasons"][0]) == {"scenario", "code", "text_nl", "text_en", "points"}
    assert body["event_ids"] == row.event_ids
    assert body["scenario_versions"] == row.scenario_versions
    assert body["history"] == [] and body["decisions"] == []
    assert body["pending_decision"] is None
    assert row.alert_id not in body["related_alert_ids"]
    assert body["links"]["self"]["href"] == f"{API}/alerts/{row.alert_id}"

    with web_ctx.tx() as db:
        entry = db.execute(
            sa.select(AuditRecord).order_by(AuditRecord.seq.desc()).limit(1)
        ).scalar_one()
        assert (entry.action, entry.actor, entry.target) == (
            "view_alert",
            "an1",
            f"alert:{row.alert_id}",
        )
        assert entry.details == {"via": "api"}
        assert entry.client == "testclient"
        assert verify(db).ok


def test_an_unknown_alert_is_a_404_problem(client: TestClient, web_ctx: WebContext) -> None:
    secret = token_for(web_ctx, "an1", "analist")
    body = assert_problem(client.get(f"{API}/alerts/A-nope", headers=auth(secret)), 404)
    assert "A-nope" in body["detail"]
    response = client.post(
        f"{API}/alerts/A-nope/comments", headers=auth(secret), json={"text": "hallo"}
    )
    assert_problem(response, 404)
    assert_problem(client.get(f"{API}/no-such-thing", headers=auth(secret)), 404)


# --- validation ---------------------------------------------------------------------------


def test_invalid_input_is_a_400_naming_the_field(client: TestClient, web_ctx: WebContext) -> None:
    secret = token_for(web_ctx, "po1", "privacy_officer")
    alert_id = raw_alerts(web_ctx)[0].alert_id

    def get(query: str) -> Any:
        return client.get(f"{API}/alerts?{query}", headers=auth(secret))

    assert invalid_names(get("page_size=201")) == {"page_size"}
    assert invalid_names(get("page=0")) == {"page"}
    assert invalid_names(get("from=gisteren")) == {"from"}
    assert invalid_names(get("status=weg")) == {"status"}
    assert invalid_names(get("from=2026-03-10&to=2026-03-01")) == {"to"}

    def post(path: str, body: Any) -> Any:
        return client.post(f"{API}/alerts/{alert_id}/{path}", headers=auth(secret), json=body)

    assert invalid_names(post("status", {"action": "close", "resolution": "legitiem_overig"})) == {
        "note"
    }
    assert invalid_names(
        post("status", {"action": "close", "resolution": "zomaar", "note": "x"})
    ) == {"resolution"}
    assert invalid_names(post("status", {"action": "reopen", "note": "   "})) == {"note"}
    assert invalid_names(post("status", {"action": "confirm"})) == {"decision_id"}
    assert invalid_names(post("status", {"action": "start_investigation", "note": "x"})) == {"note"}
    assert invalid_names(post("status", {"action": "opruimen"})) == {"action"}
    several = {"action": "reject", "resolution": "dubbel"}
    assert invalid_names(post("status", several)) == {"resolution", "decision_id", "note"}
    assert invalid_names(post("status", {"action": "reopen", "note": "x", "extra": 1})) == {"extra"}
    assert invalid_names(post("comments", {"text": "  "})) == {"text"}
    assert invalid_names(post("comments", {})) == {"text"}
    response = client.post(
        f"{API}/alerts/{alert_id}/comments", headers=auth(secret), content=b"{not json"
    )
    assert_problem(response, 400)
    with web_ctx.tx() as db:
        row = db.get(AlertRecord, alert_id)
        assert row is not None and row.status == "nieuw"


# --- the OpenAPI document -----------------------------------------------------------------

PATHS = {
    "/alerts": {"get"},
    "/alerts/{alert_id}": {"get"},
    "/alerts/{alert_id}/status": {"post"},
    "/alerts/{alert_id}/comments": {"post"},
    "/alerts/{alert_id}/assignee": {"put"},
    "/dossiers": {"get", "post"},
    "/dossiers/{dossier_id}": {"get"},
    "/dossiers/{dossier_id}/alerts": {"post"},
    "/suppressions": {"get", "post"},
    "/suppressions/{suppression_id}": {"get", "delete"},
    "/me": {"get"},
}


def test_the_openapi_document_lists_every_endpoint_with_bearer_and_problems(
    client: TestClient,
) -> None:
    response = client.get(f"{API}/openapi.json")  # public: no token
    assert response.status_code == 200
    spec = json.loads(response.text)
    assert spec["openapi"].startswith("3.")
    scheme = spec["components"]["securitySchemes"]["bearerAuth"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    api_paths = {
        path.removeprefix(API): set(ops)
        for path, ops in spec["paths"].items()
        if path.startswith(API + "/")
    }
    assert api_paths == PATHS
    for path, methods in PATHS.items():
        for method in methods:
            operation = spec["paths"][API + path][method]
            assert operation["summary"] and operation["description"]
            assert operation["security"] == [{"bearerAuth": []}]
            responses = operation["responses"]
            assert "422" not in responses
            for code in ("401", "403"):
                schema = responses[code]["content"][PROBLEM]["schema"]
                assert {"type", "title", "status"} <= set(schema["properties"])
            assert "WWW-Authenticate" in responses["401"]["headers"]
            if "400" in responses:
                schema = responses["400"]["content"][PROBLEM]["schema"]
                assert "invalidParams" in schema["properties"]
    status = spec["paths"][f"{API}/alerts/{{alert_id}}/status"]["post"]["responses"]
    assert {"400", "404", "409"} <= set(status)
    assert "$ref" not in json.dumps(status["409"])  # problem schemas are written in place

"""``/api/v1`` acts: the investigation workflow with four eyes, dossiers and suppressions.

Each act must be done by the services (state, history, audit), with the token's user as the
actor and the caller's address as the client, and leave the audit chain intact.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient

from schildwacht.app.alerts.models import AlertRecord
from schildwacht.app.audit.models import AuditRecord
from schildwacht.app.audit.service import verify
from schildwacht.app.suppressions.models import SuppressionRecord
from schildwacht.app.suppressions.service import amsterdam_today
from schildwacht.web.context import WebContext
from tests.web.test_api import API, assert_problem, auth, invalid_names, raw_alerts, token_for


def audit_since(ctx: WebContext, seq: int) -> list[AuditRecord]:
    with ctx.tx() as db:
        rows = list(
            db.execute(
                sa.select(AuditRecord).where(AuditRecord.seq > seq).order_by(AuditRecord.seq)
            ).scalars()
        )
        db.expunge_all()
    return rows


def last_seq(ctx: WebContext) -> int:
    with ctx.tx() as db:
        return db.execute(sa.select(sa.func.coalesce(sa.func.max(AuditRecord.seq), 0))).scalar_one()


def chain_ok(ctx: WebContext) -> bool:
    with ctx.tx() as db:
        return verify(db).ok


def status_of(ctx: WebContext, alert_id: str) -> str:
    with ctx.tx() as db:
        row = db.get(AlertRecord, alert_id)
        assert row is not None
        return row.status


def test_four_eyes_through_the_api(client: TestClient, web_ctx: WebContext) -> None:
    po1 = token_for(web_ctx, "po1", "privacy_officer")
    po2 = token_for(web_ctx, "po2", "privacy_officer")
    alert_id = raw_alerts(web_ctx)[0].alert_id
    url = f"{API}/alerts/{alert_id}/status"
    start = last_seq(web_ctx)

    proposed = client.post(
        url,
        headers=auth(po1),
        json={
            "action": "close",
            "resolution": "misbruik_bevestigd",
            "note": "Geen zaak, ex-partner.",
        },
    )
    assert proposed.status_code == 200, proposed.text
    body = proposed.json()
    assert body["status"] == "in_onderzoek"
    pending = body["pending_decision"]
    assert pending["state"] == "pending" and pending["four_eyes"] is True
    assert pending["proposed_by"] == "po1" and pending["second_by"] is None
    decision = {"action": "confirm", "decision_id": pending["decision_id"], "note": "Eens."}

    assert_problem(client.post(url, headers=auth(po1), json=decision), 403)
    assert status_of(web_ctx, alert_id) == "in_onderzoek"

    confirmed = client.post(url, headers=auth(po2), json=decision)
    assert confirmed.status_code == 200, confirmed.text
    body = confirmed.json()
    assert body["status"] == "afgesloten"
    assert body["pending_decision"] is None
    (made,) = body["decisions"]
    assert (made["state"], made["second_by"], made["second_note"]) == ("confirmed", "po2", "Eens.")
    assert [h["kind"] for h in body["history"]] == ["decision", "status", "decision", "status"]
    assert status_of(web_ctx, alert_id) == "afgesloten"

    acts = [(e.action, e.actor, e.client) for e in audit_since(web_ctx, start)]
    assert acts == [
        ("decision_proposed", "po1", "testclient"),
        ("status_changed", "po1", "testclient"),
        ("decision_confirmed", "po2", "testclient"),
        ("status_changed", "po2", "testclient"),
    ]
    assert chain_ok(web_ctx)


def test_rejecting_and_decisions_of_other_alerts(client: TestClient, web_ctx: WebContext) -> None:
    po1 = token_for(web_ctx, "po1", "privacy_officer")
    po2 = token_for(web_ctx, "po2", "privacy_officer")
    first, other = (r.alert_id for r in raw_alerts(web_ctx)[:2])
    proposed = client.post(
        f"{API}/alerts/{first}/status",
        headers=auth(po1),
        json={
            "action": "close",
            "resolution": "misbruik_bevestigd",
            "note": "Misbruik.",
        },
    ).json()
    decision_id = proposed["pending_decision"]["decision_id"]

    elsewhere = {"action": "confirm", "decision_id": decision_id}
    assert_problem(
        client.post(f"{API}/alerts/{other}/status", headers=auth(po2), json=elsewhere), 404
    )
    again = {"action": "close", "resolution": "legitiem_overig", "note": "Toch niet."}
    assert_problem(client.post(f"{API}/alerts/{first}/status", headers=auth(po2), json=again), 409)

    reject = {"action": "reject", "decision_id": decision_id, "note": "Eerst de zaak nagaan."}
    rejected = client.post(f"{API}/alerts/{first}/status", headers=auth(po2), json=reject)
    assert rejected.status_code == 200, rejected.text
    assert rejected.json()["decisions"][0]["state"] == "rejected"
    assert rejected.json()["status"] == "in_onderzoek"
    assert_problem(client.post(f"{API}/alerts/{first}/status", headers=auth(po2), json=reject), 409)
    assert chain_ok(web_ctx)


def test_conflicts_are_409_problems(client: TestClient, web_ctx: WebContext) -> None:
    po1 = token_for(web_ctx, "po1", "privacy_officer")
    low = min(raw_alerts(web_ctx), key=lambda r: r.score)  # below the four-eyes score
    url = f"{API}/alerts/{low.alert_id}/status"
    close = {"action": "close", "resolution": "legitiem_overig", "note": "Zaak gevonden."}

    closed = client.post(url, headers=auth(po1), json=close)
    assert closed.status_code == 200, closed.text
    assert closed.json()["status"] == "afgesloten"
    assert closed.json()["decisions"][0]["state"] == "confirmed"

    body = assert_problem(client.post(url, headers=auth(po1), json=close), 409)
    assert "afgesloten" in body["detail"]
    start = {"action": "start_investigation"}
    assert_problem(client.post(url, headers=auth(po1), json=start), 409)

    reopened = client.post(url, headers=auth(po1), json={"action": "reopen", "note": "Nieuw."})
    assert reopened.status_code == 200
    assert reopened.json()["status"] == "in_onderzoek"
    assert reopened.json()["decisions"][0]["state"] == "withdrawn"
    assert_problem(client.post(url, headers=auth(po1), json={"action": "reopen", "note": "x"}), 409)
    assert chain_ok(web_ctx)


def test_an_analist_investigates_assigns_and_comments(
    client: TestClient, web_ctx: WebContext
) -> None:
    an1 = token_for(web_ctx, "an1", "analist")
    token_for(web_ctx, "an2", "analist")
    token_for(web_ctx, "admin1", "beheerder")
    alert_id = raw_alerts(web_ctx)[3].alert_id
    base = f"{API}/alerts/{alert_id}"
    start = last_seq(web_ctx)

    started = client.post(
        f"{base}/status", headers=auth(an1), json={"action": "start_investigation"}
    )
    assert started.status_code == 200 and started.json()["status"] == "in_onderzoek"

    assigned = client.put(f"{base}/assignee", headers=auth(an1), json={"assignee": "an2"})
    assert assigned.status_code == 200 and assigned.json()["assignee"] == "an2"
    listed = client.get(f"{API}/alerts?status=in_onderzoek", headers=auth(an1)).json()
    assert [(a["alert_id"], a["assignee"]) for a in listed["items"]] == [(alert_id, "an2")]
    assert listed["counts_by_status"]["in_onderzoek"] == 1
    assert_problem(
        client.put(f"{base}/assignee", headers=auth(an1), json={"assignee": "admin1"}), 400
    )
    assert invalid_names(client.put(f"{base}/assignee", headers=auth(an1), json={})) == {"assignee"}
    unassigned = client.put(f"{base}/assignee", headers=auth(an1), json={"assignee": None})
    assert unassigned.json()["assignee"] is None

    comment = client.post(f"{base}/comments", headers=auth(an1), json={"text": "  Gebeld.  "})
    assert comment.status_code == 201, comment.text
    note = comment.json()
    assert (note["kind"], note["author"], note["text"]) == ("comment", "an1", "Gebeld.")

    history = client.get(base, headers=auth(an1)).json()["history"]
    assert [h["kind"] for h in history] == ["status", "assignment", "assignment", "comment"]
    assert history[1]["details"] == {"assignee": "an2"}

    acts = [(e.action, e.actor, e.client) for e in audit_since(web_ctx, start)]
    assert acts == [
        ("status_changed", "an1", "testclient"),
        ("assigned", "an1", "testclient"),
        ("assigned", "an1", "testclient"),
        ("comment_added", "an1", "testclient"),
        ("view_alert", "an1", "testclient"),
    ]
    assert chain_ok(web_ctx)


def test_dossiers(client: TestClient, web_ctx: WebContext) -> None:
    an1 = token_for(web_ctx, "an1", "analist")
    admin = token_for(web_ctx, "admin1", "beheerder")
    rows = raw_alerts(web_ctx)
    employee, _ = Counter(r.employee_id for r in rows).most_common(1)[0]
    same = sorted(r.alert_id for r in rows if r.employee_id == employee)
    stranger = next(r.alert_id for r in rows if r.employee_id != employee)
    start = last_seq(web_ctx)

    made = client.post(
        f"{API}/dossiers",
        headers=auth(an1),
        json={
            "title": "Herhaald inzien",
            "alert_ids": same[:1],
            "description": "Zie meldingen.",
        },
    )
    assert made.status_code == 201, made.text
    dossier = made.json()
    url = f"{API}/dossiers/{dossier['dossier_id']}"
    assert made.headers["Location"] == url == dossier["links"]["self"]["href"]
    assert dossier["employee"] == web_ctx.pseudonym(employee)
    assert dossier["created_by"] == "an1" and dossier["status"] == "open"
    assert employee not in made.text

    added = client.post(f"{url}/alerts", headers=auth(an1), json={"alert_id": same[1]})
    assert added.status_code == 200, added.text
    assert sorted(added.json()["alert_ids"]) == same[:2]
    assert_problem(
        client.post(f"{url}/alerts", headers=auth(an1), json={"alert_id": stranger}), 400
    )
    assert_problem(client.post(f"{url}/alerts", headers=auth(an1), json={"alert_id": "A-no"}), 404)
    assert_problem(client.get(f"{API}/dossiers/999", headers=auth(an1)), 404)
    assert invalid_names(client.get(f"{API}/dossiers/abc", headers=auth(an1))) == {"dossier_id"}
    assert invalid_names(
        client.post(f"{API}/dossiers", headers=auth(an1), json={"title": "x", "alert_ids": []})
    ) == {"alert_ids"}
    mixed = {"title": "Mix", "alert_ids": [same[0], stranger]}
    assert_problem(client.post(f"{API}/dossiers", headers=auth(an1), json=mixed), 400)

    listed = client.get(f"{API}/dossiers", headers=auth(an1)).json()
    assert listed["total"] == 1 and listed["items"][0]["alert_ids"] == added.json()["alert_ids"]
    shown = client.get(url, headers=auth(an1))
    assert shown.status_code == 200 and shown.json()["title"] == "Herhaald inzien"
    assert_problem(client.get(url, headers=auth(admin)), 403)

    acts = [
        (e.action, e.actor, e.client, e.details.get("via")) for e in audit_since(web_ctx, start)
    ]
    assert acts == [
        ("dossier_created", "an1", "testclient", None),
        ("dossier_alert_added", "an1", "testclient", None),
        ("view_dossier", "an1", "testclient", "api"),
        ("access_denied", "admin1", "testclient", None),  # the beheerder's refused look
    ]
    assert chain_ok(web_ctx)


def test_suppressions(client: TestClient, web_ctx: WebContext) -> None:
    admin = token_for(web_ctx, "admin1", "beheerder")
    po1 = token_for(web_ctx, "po1", "privacy_officer")
    expires = (amsterdam_today() + timedelta(days=30)).isoformat()
    start = last_seq(web_ctx)

    made = client.post(
        f"{API}/suppressions",
        headers=auth(admin),
        json={
            "reason": "Verkiezingscontrole door team Burgerzaken.",
            "expires_on": expires,
            "department": "Burgerzaken",
            "subject_bsn": "123456782",
            "period_from": "2026-03-02",
            "period_until": "2026-03-02",
        },
    )
    assert made.status_code == 201, made.text
    body = made.json()
    url = f"{API}/suppressions/{body['id']}"
    assert made.headers["Location"] == url
    assert body["subject_bsn"] == "••••••782" and "123456782" not in made.text
    assert body["created_by"] == "admin1" and body["expired"] is False
    assert body["period_start"] == "2026-03-02T00:00:00+01:00"
    assert body["period_end"] == "2026-03-03T00:00:00+01:00"
    with web_ctx.tx() as db:
        row = db.get(SuppressionRecord, body["id"])
        assert row is not None and row.subject_bsn == "123456782"

    listed = client.get(f"{API}/suppressions", headers=auth(admin)).json()
    assert [s["id"] for s in listed["items"]] == [body["id"]]
    assert client.get(url, headers=auth(admin)).json() == body
    assert_problem(client.get(f"{API}/suppressions", headers=auth(po1)), 403)
    assert_problem(client.delete(url, headers=auth(po1)), 403)

    refusals: list[dict[str, Any]] = [
        {"reason": "Geen doel.", "expires_on": expires},
        {"reason": "Verlopen.", "expires_on": "2020-01-01", "scenario": "bulk"},
        {"reason": "Onbekend.", "expires_on": expires, "scenario": "geen_scenario"},
    ]
    for refused in refusals:
        assert_problem(client.post(f"{API}/suppressions", headers=auth(admin), json=refused), 400)
    assert invalid_names(
        client.post(
            f"{API}/suppressions", headers=auth(admin), json={"reason": " ", "expires_on": "morgen"}
        )
    ) == {
        "reason",
        "expires_on",
    }

    removed = client.delete(url, headers=auth(admin))
    assert removed.status_code == 204 and removed.content == b""
    assert_problem(client.delete(url, headers=auth(admin)), 404)
    assert_problem(client.get(url, headers=auth(admin)), 404)

    entries = audit_since(web_ctx, start)
    assert [(e.action, e.actor, e.client, e.target) for e in entries] == [
        ("suppression_added", "admin1", "testclient", f"suppression:{body['id']}"),
        ("access_denied", "po1", "testclient", "GET /api/v1/suppressions"),
        ("access_denied", "po1", "testclient", f"DELETE {url.removeprefix('http://testserver')}"),
        ("suppression_removed", "admin1", "testclient", f"suppression:{body['id']}"),
    ]
    assert "department=Burgerzaken" in entries[0].details["covers"]
    assert chain_ok(web_ctx)

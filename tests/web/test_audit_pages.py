"""The audit trail page: for the auditor only, paged, filtered, exported whole, tamper-evident."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

import sqlalchemy as sa
from fastapi.testclient import TestClient

from schildwacht.app.audit.models import AuditRecord
from schildwacht.app.audit.queries import PAGE_SIZE
from schildwacht.app.audit.service import append, verify
from schildwacht.web.context import WebContext

Client = Callable[..., TestClient]


def count(ctx: WebContext, action: str | None = None) -> int:
    query = sa.select(sa.func.count()).select_from(AuditRecord)
    if action:
        query = query.where(AuditRecord.action == action)
    with ctx.tx() as db:
        return int(db.execute(query).scalar_one())


def test_only_the_auditor_reads_the_trail(app_client: Client) -> None:
    anonymous = app_client()
    for path in ("/audit", "/audit/export?format=csv"):
        response = anonymous.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/inloggen")
    for role in ("analist", "beheerder"):
        client = app_client(f"geen-{role}", role)
        assert client.get("/audit").status_code == 403, role
        assert client.get("/audit/export?format=jsonl").status_code == 403, role
    auditor = app_client("auditor1", "auditor")
    for path in ("/meldingen", "/dossiers", "/inzage", "/beheer/gebruikers",
                 "/beheer/onderdrukkingen", "/beheer/instellingen"):  # fmt: skip
        assert auditor.get(path).status_code == 403, path
    assert auditor.get("/audit").status_code == 200
    assert auditor.get("/account").status_code == 200


def test_the_trail_is_shown_paged_filtered_and_each_view_is_audited_once(
    app_client: Client, web_ctx: WebContext
) -> None:
    with web_ctx.tx() as db:
        for n in range(PAGE_SIZE + 5):
            append(db, actor="cli:tester", action="test_step", target=f"stap:{n}",
                   details={"n": n}, client="10.0.0.7")  # fmt: skip
    client = app_client("auditor1", "auditor")
    page = client.get("/audit")
    assert page.status_code == 200
    assert "De audittrail is intact" in page.text
    assert "stap:54" in page.text and "stap:0<" not in page.text
    assert "Pagina 1 van 2" in page.text
    assert count(web_ctx, "audit_viewed") == 1

    older = client.get("/audit?pagina=2")
    assert "stap:0<" in older.text and "login" in older.text
    assert count(web_ctx, "audit_viewed") == 2

    only_logins = client.get("/audit?actie=login&actor=auditor1")
    assert "auditor1" in only_logins.text and "stap:" not in only_logins.text
    assert "<strong>1 regel</strong>" in only_logins.text
    assert count(web_ctx, "audit_viewed") == 3


def test_the_export_holds_every_entry_and_keeps_the_chain_intact(
    app_client: Client, web_ctx: WebContext
) -> None:
    client = app_client("auditor1", "auditor")
    client.get("/audit")
    as_csv = client.get("/audit/export?format=csv")
    assert as_csv.status_code == 200
    assert as_csv.headers["content-disposition"].startswith("attachment;")
    assert ".csv" in as_csv.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert len(rows) == count(web_ctx)
    assert [int(r["seq"]) for r in rows] == list(range(1, len(rows) + 1))
    assert rows[-1]["action"] == "audit_exported"
    assert json.loads(rows[-1]["details"]) == {"format": "csv"}

    as_jsonl = client.get("/audit/export?format=jsonl")
    assert as_jsonl.headers["content-disposition"].startswith("attachment;")
    entries = [json.loads(line) for line in as_jsonl.text.splitlines()]
    assert len(entries) == count(web_ctx) == len(rows) + 1
    assert {e["action"] for e in entries} >= {"login", "audit_viewed", "audit_exported"}
    assert entries[-1]["prev_hash"] == entries[-2]["entry_hash"]
    assert count(web_ctx, "audit_exported") == 2
    assert count(web_ctx, "audit_viewed") == 1
    with web_ctx.tx() as db:
        assert verify(db).ok

    assert client.get("/audit/export?format=xml").status_code == 400


def test_a_tampered_trail_shows_as_broken(app_client: Client, web_ctx: WebContext) -> None:
    client = app_client("auditor1", "auditor")
    assert "De audittrail is intact" in client.get("/audit").text
    with web_ctx.sessions.begin() as db:
        db.execute(sa.update(AuditRecord).where(AuditRecord.seq == 1)
                   .values(details={"outcome": "aangepast"}))  # fmt: skip
    page = client.get("/audit")
    assert page.status_code == 200
    assert "GEBROKEN" in page.text and 'role="alert"' in page.text
    assert "regel 1 is gewijzigd nadat hij was vastgelegd" in page.text

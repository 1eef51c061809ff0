"""The access-request page: privacy officers only, BSN only in POST bodies, audited once."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import pypdf
import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient

from schildwacht.app.audit.models import AuditRecord
from schildwacht.web.context import WebContext
from schildwacht.web.rendering import mask_bsn
from schildwacht.web.routes.inzage import router
from tests.app.test_inzage import busiest_subject, staff_identities
from tests.web.conftest import csrf_of

Client = Callable[..., TestClient]
PERIOD = {"van": "2026-03-02", "tot": "2026-03-22"}  # the town's three weeks
HIDDEN_INPUT = re.compile(r"<input[^>]*>")


def _with_router(app: Any) -> None:
    """Register the page unless the app already has it (the owner adds it to ROUTERS)."""
    assert isinstance(app, FastAPI)
    if not any(getattr(r, "path", "") == "/inzage-verzoek" for r in app.router.routes):
        app.include_router(router, include_in_schema=False)


@pytest.fixture
def client_as(app_client: Client) -> Client:
    """``client_as("po1", "privacy_officer")``: ``app_client`` on an app with this page."""

    def make(*args: str) -> TestClient:
        client = app_client(*args)
        _with_router(client.app)
        return client

    return make


def audited(ctx: WebContext) -> list[AuditRecord]:
    with ctx.tx() as db:
        query = sa.select(AuditRecord).where(AuditRecord.action == "inzage_report")
        rows = list(db.execute(query.order_by(AuditRecord.seq)).scalars())
        db.expunge_all()
        return rows


def _post(client: TestClient, path: str, **data: str) -> Any:
    token = csrf_of(client.get("/inzage-verzoek").text)
    return client.post(path, data={**data, "csrf_token": token})


def test_only_a_privacy_officer_may_open_the_page(client_as: Client, web_ctx: WebContext) -> None:
    anonymous = client_as()
    response = anonymous.get("/inzage-verzoek", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/inloggen")
    analist = client_as("analist1", "analist")
    assert analist.get("/inzage-verzoek").status_code == 403
    token = csrf_of(analist.get("/inzage").text)  # a page the analist may open
    bsn = busiest_subject(web_ctx.store.root)
    for path in ("/inzage-verzoek", "/inzage-verzoek/pdf"):
        refused = analist.post(path, data={"bsn": bsn, **PERIOD, "csrf_token": token})
        assert refused.status_code == 403
        assert bsn not in refused.text
    assert client_as("beheer1", "beheerder").get("/inzage-verzoek").status_code == 403
    assert audited(web_ctx) == []
    form = client_as("po1", "privacy_officer").get("/inzage-verzoek")
    assert form.status_code == 200
    assert 'method="post" action="/inzage-verzoek"' in form.text
    assert 'formaction="/inzage-verzoek/pdf"' in form.text


def test_the_report_masks_the_bsn_names_no_staff_and_is_audited_once(
    client_as: Client, web_ctx: WebContext
) -> None:
    bsn = busiest_subject(web_ctx.store.root)
    client = client_as("po2", "privacy_officer")
    response = _post(client, "/inzage-verzoek", bsn=bsn, **PERIOD)
    assert response.status_code == 200
    assert bsn not in str(response.url)
    html = response.text
    shown = HIDDEN_INPUT.sub("", html)  # the PDF button carries the BSN in a hidden field
    assert bsn not in shown and mask_bsn(bsn) in shown
    assert "Wanneer zijn uw gegevens gebruikt?" in html and "C-579/21" in html
    assert "2 maart 2026 tot en met 22 maart 2026" in html
    assert not re.search(rf"(href|action|formaction)=\"[^\"]*{bsn}", html)
    leaked = [value for value in staff_identities(web_ctx.store.root) if value in html]
    assert leaked == []

    (entry,) = audited(web_ctx)
    assert entry.actor == "po2" and entry.client == "testclient" and entry.target == bsn
    assert entry.details["via"] == "web" and entry.details["format"] == "html"
    assert entry.details["from"] == PERIOD["van"] and entry.details["to"] == PERIOD["tot"]
    count = entry.details["consultations"]
    assert count > 0 and f"{count} keer gebruikt" in html


def test_the_pdf_is_an_attachment_with_the_full_bsn_and_is_audited_once(
    client_as: Client, web_ctx: WebContext
) -> None:
    bsn = busiest_subject(web_ctx.store.root)
    client = client_as("po3", "privacy_officer")
    response = _post(client, "/inzage-verzoek/pdf", bsn=bsn, **PERIOD)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;") and bsn not in disposition
    assert bsn not in str(response.url)
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert bsn in text and "Autoriteit Persoonsgegevens" in text
    leaked = [value for value in staff_identities(web_ctx.store.root) if value in text]
    assert leaked == []
    (entry,) = audited(web_ctx)
    assert entry.actor == "po3" and entry.client == "testclient" and entry.target == bsn
    assert entry.details["format"] == "pdf" and entry.details["via"] == "web"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"bsn": "123456789", **PERIOD}, "geen geldig BSN"),
        ({"bsn": "123456782", "van": "2026-03-22", "tot": "2026-03-02"}, "na de laatste dag"),
        ({"bsn": "123456782", "van": "morgen", "tot": "2026-03-02"}, "eerste dag"),
    ],
)
def test_a_wrong_form_is_refused_and_nothing_is_recorded(
    client_as: Client, web_ctx: WebContext, fields: dict[str, str], message: str
) -> None:
    client = client_as("po4", "privacy_officer")
    for path in ("/inzage-verzoek", "/inzage-verzoek/pdf"):
        response = _post(client, path, **fields)
        assert response.status_code == 400
        assert message in response.text
    no_token = client.post("/inzage-verzoek", data={"bsn": "123456782", **PERIOD})
    assert no_token.status_code == 403
    assert audited(web_ctx) == []

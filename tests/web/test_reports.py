"""The management report page and PDF: who may read it, what it shows, the audit trail, and
that it names nobody."""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pypdf
import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient

from schildwacht.app.accountability.period import previous_month
from schildwacht.app.alerts.models import AlertRecord
from schildwacht.app.audit.models import AuditRecord
from schildwacht.config import load_settings
from schildwacht.detect.runner import detection_params
from schildwacht.detect.stats import explain_stats
from schildwacht.web.context import WebContext
from schildwacht.web.rendering import AMSTERDAM
from schildwacht.web.report_charts import number, percent
from schildwacht.web.routes.reports import router
from tests.app.test_inzage import staff_identities, town_rows

Client = Callable[..., TestClient]
MARCH = "2026-03"  # the town's three weeks
HEADINGS = (
    "Managementrapportage maart 2026",
    "Meldingen",
    "Verklaarde raadplegingen",
    "Tijd tot eerste behandeling",
    "Afhandeling en bevestigd misbruik",
    "Datalekken en meldingen aan de AP",
)


def _with_router(app: Any) -> None:
    """Register the page unless the app already has it (``routes/__init__.py`` does)."""
    assert isinstance(app, FastAPI)
    if not any(getattr(r, "path", "") == "/rapportage" for r in app.router.routes):
        app.include_router(router, include_in_schema=False)


@pytest.fixture
def client_as(app_client: Client) -> Client:
    def make(*args: str) -> TestClient:
        client = app_client(*args)
        _with_router(client.app)
        return client

    return make


def audited(ctx: WebContext) -> list[AuditRecord]:
    with ctx.tx() as db:
        query = sa.select(AuditRecord).where(AuditRecord.action == "management_report")
        rows = list(db.execute(query.order_by(AuditRecord.seq)).scalars())
        db.expunge_all()
        return rows


def departments(ctx: WebContext) -> Counter[str]:
    """The town's alerts per department, read straight from the table."""
    with ctx.tx() as db:
        rows = db.execute(sa.select(AlertRecord.department)).scalars()
        return Counter(d or "(onbekend)" for d in rows)


def citizen_numbers(ctx: WebContext) -> set[str]:
    rows = town_rows(ctx.store.root, "SELECT DISTINCT subject_bsn FROM EVENTS WHERE subject_bsn "
                     "IS NOT NULL")  # fmt: skip
    return {str(r["subject_bsn"]) for r in rows}


def assert_names_nobody(ctx: WebContext, text: str) -> None:
    assert "MW-" not in text
    assert [v for v in staff_identities(ctx.store.root) if v in text] == []
    assert [bsn for bsn in citizen_numbers(ctx) if bsn in text] == []


def _pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.mark.parametrize("role", ["analist", "beheerder", "auditor"])
def test_other_roles_are_refused(client_as: Client, web_ctx: WebContext, role: str) -> None:
    client = client_as(f"user-{role}", role)
    assert client.get(f"/rapportage?periode={MARCH}").status_code == 403
    assert client.get(f"/rapportage/pdf?periode={MARCH}").status_code == 403
    assert audited(web_ctx) == []


def test_the_page_shows_the_numbers_and_is_audited_once_per_view(
    client_as: Client, web_ctx: WebContext
) -> None:
    client = client_as("fg1", "fg")
    response = client.get(f"/rapportage?periode={MARCH}")
    assert response.status_code == 200
    html = response.text
    for heading in HEADINGS:
        assert heading in html
    per_department = departments(web_ctx)
    total = sum(per_department.values())
    assert f"{number(total)} meldingen met een eerste verdachte raadpleging" in html
    for department, count in per_department.items():
        row = rf'scope="row">{re.escape(department)}</th><td [^>]*>{count}</td>'
        assert re.search(row, html), department
    stats = explain_stats(web_ctx.store, detection_params(load_settings(web_ctx.store.root)))
    assert f"Aandeel verklaard: {percent(stats.explained_share)} van {number(stats.total)}" in html
    assert html.count('role="img"') == 4 and "<desc" in html and 'style="' not in html
    assert "<script" not in html.split("</head>", 1)[1]  # no script in the body
    assert_names_nobody(web_ctx, html)

    client.get(f"/rapportage?periode={MARCH}")
    entries = audited(web_ctx)
    assert len(entries) == 2
    assert {(e.actor, e.target, e.details["period"], e.details["format"]) for e in entries} == {
        ("fg1", f"periode:{MARCH}", MARCH, "html")
    }


def test_the_pdf_has_the_sections_numbers_and_charts(
    client_as: Client, web_ctx: WebContext
) -> None:
    client = client_as("po1", "privacy_officer")
    response = client.get(f"/rapportage/pdf?periode={MARCH}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="managementrapportage-{MARCH}.pdf"'
    )
    text = _pdf_text(response.content)
    for heading in HEADINGS:
        assert heading in text
    total = sum(departments(web_ctx).values())
    assert f"{number(total)} meldingen met een eerste verdachte raadpleging" in text
    assert "Verklaard:" in text and "Onverklaard:" in text  # the chart's legend, drawn
    assert_names_nobody(web_ctx, text)
    (entry,) = audited(web_ctx)
    assert (entry.actor, entry.details["format"], entry.details["period"]) == ("po1", "pdf", MARCH)


def test_periods_default_and_refusal(client_as: Client, web_ctx: WebContext) -> None:
    client = client_as("po2", "privacy_officer")
    default = client.get("/rapportage")
    assert default.status_code == 200
    expected = previous_month(datetime.now(AMSTERDAM).date())
    assert f"Managementrapportage {expected.label}" in default.text
    assert "onbekend" in default.text  # the town has no events in that month
    quarter = client.get("/rapportage?periode=2026-Q1")
    assert quarter.status_code == 200 and "1e kwartaal 2026" in quarter.text
    for bad, message in (("2026-13", "maand 13 bestaat niet"), ("2026-Q5", "kwartaal 5")):
        refused = client.get(f"/rapportage?periode={bad}")
        assert refused.status_code == 400 and message in refused.text
    assert [e.details["period"] for e in audited(web_ctx)] == [expected.code, "2026-Q1"]

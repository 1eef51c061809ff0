"""The outputs of a breach dossier through the web app: the AP draft (page, PDF, JSON), the
particulars form, the letters and the register, each for the right roles and audited."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta

import httpx
import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from schildwacht.app.base import utc_now
from schildwacht.app.breaches.deadline import AMSTERDAM
from schildwacht.web.context import WebContext
from tests.web.helpers import audit_actions
from tests.web.test_breach_pages import Clients, _confirmed_dossier, _local, _post


def _pdf_text(body: bytes) -> str:
    """The PDF's text with line breaks and hyphenation-free wrapping folded to spaces."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    return " ".join(text.split())


@pytest.fixture
def breach_url(app_client: Clients, web_ctx: WebContext) -> tuple[TestClient, str]:
    """A breach opened from the town's confirmed top alert, assessed as very high."""
    po1 = app_client("po1", "privacy_officer")
    app_client("po2", "privacy_officer")
    dossier_id = _confirmed_dossier(web_ctx)
    page = po1.get(f"/dossiers/{dossier_id}").text
    url = _post(po1, f"/datalekken/uit-dossier/{dossier_id}", page, note="Bevestigd.",
                aware_at=_local(utc_now() - timedelta(hours=5))).headers["location"]  # fmt: skip
    assert _post(po1, f"{url}/ernst", po1.get(url).text, context="simple", context_score="4",
                 dpc_reason="Adres doorgespeeld.", identification="maximum",
                 confidentiality="unknown", integrity="none", availability="none",
                 malicious="ja", reason="Verkocht.").status_code == 303  # fmt: skip
    return po1, url


def test_the_ap_draft_answers_every_question_and_takes_the_officers_particulars(
    breach_url: tuple[TestClient, str], web_ctx: WebContext
) -> None:
    po1, url = breach_url
    draft = po1.get(f"{url}/ap-melding.json").json()
    numbers = [f["number"] for s in draft["sections"] for f in s["fields"]]
    for number in ("1.1", "1.2", "4.2", "4.5", "5.1", "6.1", "6.3.1", "7.3", "9.3", "10.2"):
        assert number in numbers
    assert draft["phase"] == "initial"
    assert "zeer groot" in draft["fields"]["consequences.severity"].lower()  # ENISA very high
    assert int(draft["fields"]["people.count"].split()[0]) >= 1  # from the evidence events
    assert "MW-" not in str(draft)  # the AP form does not ask who the employee is
    saved = _post(
        po1,
        f"{url}/meldgegevens",
        po1.get(url).text,
        **{"notification.legal_regime": "avg", "consequences.people": "identity_fraud"},
    )
    assert saved.status_code == 303
    again = po1.get(f"{url}/ap-melding.json").json()
    assert again["fields"]["notification.legal_regime"]
    bad = _post(po1, f"{url}/meldgegevens", po1.get(url).text,
                **{"notification.legal_regime": "grondwet"})  # fmt: skip
    assert bad.status_code == 400 and "1.2" in bad.text
    page = po1.get(f"{url}/ap-melding")
    assert page.status_code == 200 and "breach-documents.css" in page.text
    pdf = po1.get(f"{url}/ap-melding.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    text = _pdf_text(pdf.content)
    assert "6.3.1" in text and "10.2" in text
    views = audit_actions(web_ctx, "breach_draft_viewed")
    assert [r.details["format"] for r in views] == ["json", "json", "html", "pdf"]


def test_sending_keeps_the_draft_and_the_next_draft_is_an_addition(
    breach_url: tuple[TestClient, str],
) -> None:
    po1, url = breach_url
    sent = _post(po1, f"{url}/gemeld", po1.get(url).text, sent_at=_local(utc_now()),
                 ap_reference="AP-77")  # fmt: skip
    assert sent.status_code == 303
    assert po1.get(f"{url}/ap-melding.json").json()["phase"] == "addition"
    assert "AP-77" in po1.get(url).text


def test_letters_only_after_deciding_to_inform_and_never_with_a_full_bsn(
    breach_url: tuple[TestClient, str], web_ctx: WebContext
) -> None:
    po1, url = breach_url
    refused = po1.get(f"{url}/brieven.pdf")
    assert refused.status_code == 409 and "informeren" in refused.text
    assert _post(po1, f"{url}/besluit", po1.get(url).text, kind="inform_subjects", value="ja",
                 reason="Hoog risico.").status_code == 303  # fmt: skip
    letters = po1.get(f"{url}/brieven.pdf")
    assert letters.status_code == 200
    text = _pdf_text(letters.content)
    assert "datalek" in text.lower() and "Autoriteit Persoonsgegevens" in text
    alert_bsns = re.findall(r"\b\d{9}\b", text)
    assert alert_bsns == []  # at most the last digits
    assert "MW-" not in text
    [made] = audit_actions(web_ctx, "breach_letters_made")
    assert made.details["letters"] >= 1
    page = po1.get(url).text
    sent = _post(po1, f"{url}/brieven-verstuurd", page, count=str(made.details["letters"]),
                 sent_on=datetime.now(AMSTERDAM).date().isoformat())  # fmt: skip
    assert sent.status_code == 303
    draft = po1.get(f"{url}/ap-melding.json").json()["fields"]
    assert draft["follow_up.informed"].lower().startswith("ja")  # AP form 10.1.1
    assert "brieven verstuurd" in po1.get(url).text


def test_the_register_exports_for_readers_only(
    breach_url: tuple[TestClient, str], app_client: Clients
) -> None:
    _, url = breach_url
    fg = app_client("fenna", "fg")
    rows = list(csv.DictReader(io.StringIO(fg.get("/datalekken/register.csv").content.decode(
        "utf-8-sig"))))  # fmt: skip
    assert len(rows) == 1 and rows[0]["severity_band"] == "very_high"
    assert rows[0]["employee"].startswith("MW-")
    assert "Register" in _pdf_text(fg.get("/datalekken/register.pdf").content)
    assert fg.get(f"{url}/brieven.pdf").status_code == 403  # letters are the handler's act
    analyst = app_client("ana", "analist")
    response: httpx.Response = analyst.get("/datalekken/register.csv")
    assert response.status_code == 403

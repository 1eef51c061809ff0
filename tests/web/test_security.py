"""Security headers, CSRF on forms, no inline script or style, no personal data in errors."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from schildwacht.web.app import create_app
from schildwacht.web.context import WebContext
from tests.web.conftest import csrf_of, sign_in
from tests.web.helpers import top_alert

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "schildwacht" / "web" / "templates"


def _assert_headers(response: object) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    csp = headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"


def test_pages_errors_and_api_carry_the_security_headers(
    web_ctx: WebContext, app_client: Callable[..., TestClient]
) -> None:
    client = app_client("kop", "privacy_officer")
    alert = top_alert(web_ctx)
    for path in ("/inloggen", "/meldingen", f"/meldingen/{alert.alert_id}", "/bestaat-niet",
                 "/api/v1/alerts", "/static/app.css"):  # fmt: skip
        response = client.get(path)
        _assert_headers(response)
    assert client.get("/meldingen").headers["cache-control"] == "no-store"


def test_templates_have_no_inline_script_or_style() -> None:
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), f"inline script in {template}"
        assert not re.search(r"\sstyle=", text), f"inline style in {template}"
        assert "<style" not in text, f"style element in {template}"
        assert not re.search(r"\son[a-z]+=", text), f"inline event handler in {template}"
        assert "hx-on" not in text, f"hx-on evaluates code in {template}"


def test_rendered_alert_page_has_no_inline_script_or_style(
    web_ctx: WebContext, app_client: Callable[..., TestClient]
) -> None:
    client = app_client("inline", "privacy_officer")
    html = client.get(f"/meldingen/{top_alert(web_ctx).alert_id}").text
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert not re.search(r"\sstyle=", html)


def test_forms_are_refused_without_the_csrf_token(
    web_ctx: WebContext, app_client: Callable[..., TestClient]
) -> None:
    client = app_client("csrf", "privacy_officer")
    alert = top_alert(web_ctx)
    url = f"/meldingen/{alert.alert_id}/opmerking"
    assert client.post(url, data={"text": "zonder token"}).status_code == 403
    assert client.post(url, data={"text": "fout", "csrf_token": "x" * 43}).status_code == 403
    token = csrf_of(client.get("/meldingen").text)
    header = client.post(url, data={"text": "met htmx-kop"}, headers={"X-CSRF-Token": token},
                         follow_redirects=False)  # fmt: skip
    assert header.status_code == 303
    assert "met htmx-kop" in client.get(f"/meldingen/{alert.alert_id}").text
    assert "zonder token" not in client.get(f"/meldingen/{alert.alert_id}").text


def test_a_crash_shows_a_reference_and_logs_no_personal_data(
    web_ctx: WebContext,
    app_client: Callable[..., TestClient],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from schildwacht.web.views import alert_page

    secret = "burger Jansen BSN 123456782"

    def boom(*_args: object, **_kwargs: object) -> None:
        raise ValueError(secret)

    monkeypatch.setattr(alert_page, "alert_page_evidence", boom)
    app_client("crash", "privacy_officer")
    client = TestClient(create_app(web_ctx.store.root, ctx=web_ctx), raise_server_exceptions=False)
    sign_in(client, "crash")
    with caplog.at_level(logging.INFO, logger="schildwacht.web"):
        response = client.get(f"/meldingen/{top_alert(web_ctx).alert_id}")
    assert response.status_code == 500
    assert "Kenmerk voor de beheerder" in response.text
    assert secret not in response.text and "Traceback" not in response.text
    assert "ValueError" in caplog.text and secret not in caplog.text
    assert top_alert(web_ctx).alert_id not in caplog.text  # route templates, not paths


def test_language_can_be_switched_to_english(app_client: Callable[..., TestClient]) -> None:
    client = app_client("taal", "analist")
    assert '<html lang="nl">' in client.get("/meldingen").text
    client.get("/taal/en?terug=/meldingen")
    page = client.get("/meldingen").text
    assert '<html lang="en">' in page and "Alerts" in page
    assert (
        client.get("/taal/nl?terug=https://evil.example", follow_redirects=False).headers[
            "location"
        ]
        == "/"
    )

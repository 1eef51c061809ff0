"""The shared town has alerts and the app serves them to a signed-in privacy officer."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient


def test_privacy_officer_sees_the_queue(app_client: Callable[..., TestClient]) -> None:
    client = app_client("po1", "privacy_officer")
    page = client.get("/meldingen")
    assert page.status_code == 200
    assert 'href="/meldingen/A-' in page.text

"""Fixtures for the web app: a detected town, an app on a private copy, signed-in clients."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from schildwacht.app.auth.models import UserRecord
from schildwacht.app.auth.passwords import hash_password
from schildwacht.app.base import utc_now
from schildwacht.web.app import create_app
from schildwacht.web.context import WebContext
from tests.web.town import copy_store

PASSWORD = "een heel lang testwachtwoord"


@pytest.fixture
def web_ctx(town_store: Path, tmp_path: Path) -> WebContext:
    """The app's context on a private copy of the town."""
    return WebContext.open(copy_store(town_store, tmp_path / "store"))


@cache
def _password_hash() -> str:
    return hash_password(PASSWORD)  # Argon2id is slow on purpose: hash the test password once


def make_user(ctx: WebContext, username: str, *roles: str) -> None:
    """An account with the known test password, already past its first-use change."""
    with ctx.tx() as db:
        db.add(
            UserRecord(
                username=username, display_name=username.title(), roles=list(roles),
                password_hash=_password_hash(), must_change_password=False, active=True,
                failed_logins=0, created_at=utc_now(),
            )
        )  # fmt: skip


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token in the page"
    return found.group(1)


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> TestClient:
    page = client.get("/inloggen")
    response = client.post(
        "/inloggen",
        data={"username": username, "password": password, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return client


@pytest.fixture
def app_client(web_ctx: WebContext) -> Iterator[Callable[..., TestClient]]:
    """``app_client("po1", "privacy_officer")``: a client signed in as a new user."""
    app = create_app(web_ctx.store.root, ctx=web_ctx)
    clients: list[TestClient] = []

    def signed_in(username: str | None = None, *roles: str) -> TestClient:
        client = TestClient(app, base_url="http://testserver")
        clients.append(client)
        if username is not None:
            make_user(web_ctx, username, *roles)
            sign_in(client, username)
        return client

    yield signed_in
    for client in clients:
        client.close()


@pytest.fixture
def client(web_ctx: WebContext) -> Iterator[TestClient]:
    """A client without a session, for the API (which takes bearer tokens)."""
    with TestClient(create_app(web_ctx.store.root, ctx=web_ctx)) as test_client:
        yield test_client

"""Signing in and out: one-time passwords, throttling and lockout, cookies, CSRF on sign-in."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from schildwacht.app.auth.service import add_user
from schildwacht.web.context import WebContext
from tests.web.conftest import PASSWORD, csrf_of, sign_in
from tests.web.helpers import audit_actions


def _post_login(client: TestClient, username: str, password: str) -> object:
    page = client.get("/inloggen")
    return client.post(
        "/inloggen",
        data={"username": username, "password": password, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )


def test_every_page_needs_a_signed_in_user(app_client: Callable[..., TestClient]) -> None:
    client = app_client()
    for path in ("/", "/meldingen", "/meldingen/A-0", "/account", "/account/wachtwoord"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/inloggen")
    assert client.get("/static/vendor/htmx.min.js").status_code == 200
    assert client.get("/inloggen").status_code == 200


def test_one_time_password_must_be_changed_first(
    web_ctx: WebContext, app_client: Callable[..., TestClient]
) -> None:
    with web_ctx.tx() as db:
        _, one_time = add_user(db, username="nieuw", roles=["privacy_officer"])
    client = app_client()
    response = _post_login(client, "nieuw", one_time)
    assert response.headers["location"] == "/account/wachtwoord"  # type: ignore[attr-defined]
    assert client.get("/meldingen", follow_redirects=False).headers["location"] == (
        "/account/wachtwoord"
    )
    form = client.get("/account/wachtwoord")
    too_short = client.post(
        "/account/wachtwoord",
        data={
            "current": one_time,
            "new": "kort",
            "repeat": "kort",
            "csrf_token": csrf_of(form.text),
        },
    )
    assert too_short.status_code == 400 and "minstens 12 tekens" in too_short.text
    done = client.post(
        "/account/wachtwoord",
        data={"current": one_time, "new": PASSWORD, "repeat": PASSWORD,
              "csrf_token": csrf_of(form.text)},
        follow_redirects=False,
    )  # fmt: skip
    assert done.status_code == 303 and done.headers["location"] == "/meldingen"
    assert client.get("/meldingen").status_code == 200
    assert [e.actor for e in audit_actions(web_ctx, "password_changed")] == ["nieuw"]


def test_wrong_password_and_unknown_user_get_the_same_answer(
    app_client: Callable[..., TestClient],
) -> None:
    app_client("echt", "analist").cookies.clear()
    client = app_client()
    wrong = _post_login(client, "echt", "fout wachtwoord 123")
    unknown = _post_login(client, "bestaat-niet", "fout wachtwoord 123")
    assert wrong.status_code == unknown.status_code == 401  # type: ignore[attr-defined]
    message = "Gebruikersnaam of wachtwoord onjuist"
    assert message in wrong.text and message in unknown.text  # type: ignore[attr-defined]


def test_repeated_failures_throttle_then_lock_the_account(
    web_ctx: WebContext, app_client: Callable[..., TestClient]
) -> None:
    app_client("doelwit", "analist")
    client = app_client()
    answers = [_post_login(client, "doelwit", f"geraden {n}").text for n in range(6)]  # type: ignore[attr-defined]
    assert any("Te veel mislukte pogingen" in a for a in answers[3:])
    # even the right password is refused while throttled or locked
    right = _post_login(client, "doelwit", PASSWORD)
    assert right.status_code == 401  # type: ignore[attr-defined]
    failed = audit_actions(web_ctx, "login_failed")
    assert len(failed) >= 6 and all(e.actor == "doelwit" for e in failed)
    assert all("geraden" not in str(e.details) for e in failed)  # no password in the trail


def test_session_cookie_is_httponly_and_samesite(app_client: Callable[..., TestClient]) -> None:
    client = app_client("koekje", "analist")
    page = client.get("/inloggen")
    response = client.post(
        "/inloggen",
        data={"username": "koekje", "password": PASSWORD, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    cookie = response.headers["set-cookie"].lower()
    assert "sw_session=" in cookie and "httponly" in cookie and "samesite=strict" in cookie
    assert "secure" not in cookie  # plain http in tests; https requests get Secure


def test_cookie_is_secure_over_https(
    web_ctx: WebContext, app_client: Callable[..., TestClient]
) -> None:
    app_client("tls", "analist")
    from schildwacht.web.app import create_app

    client = TestClient(create_app(web_ctx.store.root, ctx=web_ctx), base_url="https://testserver")
    page = client.get("/inloggen")
    response = client.post(
        "/inloggen",
        data={"username": "tls", "password": PASSWORD, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert "secure" in response.headers["set-cookie"].lower()
    assert "strict-transport-security" in response.headers


def test_sign_in_form_needs_its_csrf_token(app_client: Callable[..., TestClient]) -> None:
    app_client("vals", "analist")
    client = app_client()
    response = client.post(
        "/inloggen", data={"username": "vals", "password": PASSWORD, "csrf_token": "verzonnen"}
    )
    assert response.status_code == 403


def test_sign_out_ends_the_session(
    web_ctx: WebContext, app_client: Callable[..., TestClient]
) -> None:
    client = app_client("weg", "analist")
    page = client.get("/meldingen")
    stolen = client.cookies.get("sw_session")
    client.post("/uitloggen", data={"csrf_token": csrf_of(page.text)})
    replay = app_client()
    replay.cookies.set("sw_session", stolen or "")
    assert replay.get("/meldingen", follow_redirects=False).status_code == 303
    assert [e.action for e in audit_actions(web_ctx) if e.actor == "weg"] == ["login", "logout"]


def test_signing_in_again_works_after_sign_out(app_client: Callable[..., TestClient]) -> None:
    client = app_client("terug", "analist")
    page = client.get("/meldingen")
    client.post("/uitloggen", data={"csrf_token": csrf_of(page.text)})
    sign_in(client, "terug")
    assert client.get("/meldingen").status_code == 200

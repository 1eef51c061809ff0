"""The FastAPI application: middleware, error pages, routers, static files.

Errors never show personal data or a traceback: a user error shows its own (Dutch) message;
anything else shows a reference number, and only that number, the exception's type and the
route are logged.
"""

from __future__ import annotations

import logging
import os
import secrets
import time
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from schildwacht.errors import Conflict, NotFound, PermissionDenied, UserError
from schildwacht.web.api.problems import is_api, problem, validation_problem
from schildwacht.web.context import WebContext
from schildwacht.web.deps import CsrfFailed, LoginRequired, PasswordChangeRequired, language
from schildwacht.web.i18n import translations
from schildwacht.web.rendering import render
from schildwacht.web.security import SecurityHeaders

STATIC = Path(__file__).resolve().parent / "static"
log = logging.getLogger("schildwacht.web")


def _status(error: UserError) -> int:
    if isinstance(error, PermissionDenied):
        return 403
    if isinstance(error, NotFound):
        return 404
    if isinstance(error, Conflict):
        return 409
    return 400


_TITLES = {400: "Niet gelukt", 403: "Geen toegang", 404: "Niet gevonden", 409: "Kan nu niet",
           401: "Niet ingelogd", 500: "Er ging iets mis"}  # fmt: skip


def _error_page(request: Request, status: int, message: str, reference: str = "") -> Response:
    _ = translations(language(request)).gettext
    return render(request, "errors/error.html", lang=language(request), status_code=status,
                  status=status, title=_(_TITLES.get(status, "Er ging iets mis")),
                  message=message, reference=reference)  # fmt: skip


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, _exc: LoginRequired) -> Response:
        if is_api(request):
            return problem(401, "Niet geauthenticeerd",
                           "Stuur een persoonlijk toegangstoken mee: Authorization: Bearer ...",
                           headers={"WWW-Authenticate": "Bearer"})  # fmt: skip
        if request.headers.get("HX-Request"):
            return Response(status_code=401, headers={"HX-Redirect": "/inloggen"})
        target = request.url.path if request.method == "GET" else "/"
        return RedirectResponse(f"/inloggen?next={target}", status_code=303)

    @app.exception_handler(PasswordChangeRequired)
    async def password_first(_request: Request, _exc: PasswordChangeRequired) -> Response:
        return RedirectResponse("/account/wachtwoord", status_code=303)

    @app.exception_handler(CsrfFailed)
    async def csrf_failed(request: Request, _exc: CsrfFailed) -> Response:
        _ = translations(language(request)).gettext
        return _error_page(request, 403, _("Het formulier is verlopen. Laad de pagina opnieuw."))

    @app.exception_handler(UserError)
    async def user_error(request: Request, exc: UserError) -> Response:
        status = _status(exc)
        if is_api(request):
            return problem(status, _TITLES.get(status, "Fout"), str(exc))
        return _error_page(request, status, translations(language(request)).gettext(str(exc)))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if is_api(request):
            return validation_problem(exc)
        _ = translations(language(request)).gettext
        return _error_page(
            request, 400, _("Het formulier is niet volledig of niet juist ingevuld.")
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if is_api(request):
            return problem(exc.status_code, _TITLES.get(exc.status_code, "Fout"), "")
        _ = translations(language(request)).gettext
        return _error_page(request, exc.status_code, _("Deze pagina bestaat niet."))

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> Response:
        reference = secrets.token_hex(4)
        route = getattr(request.scope.get("route"), "path", "?")
        log.error("error %s: %s in %s %s", reference, type(exc).__name__, request.method, route)
        if is_api(request):
            return problem(500, "Interne fout", f"Kenmerk: {reference}")
        _ = translations(language(request)).gettext
        return _error_page(request, 500, _("Er ging iets mis. Probeer het later opnieuw."),
                           reference)  # fmt: skip


class AccessLog(BaseHTTPMiddleware):
    """Method, route template, status and time only: no query strings, ids or addresses."""

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        started = time.perf_counter()
        response = await call_next(request)
        route = getattr(request.scope.get("route"), "path", "-")
        elapsed = (time.perf_counter() - started) * 1000
        log.info("%s %s %s %.0f ms", request.method, route, response.status_code, elapsed)
        return response


def create_app(store_root: Path, *, ctx: WebContext | None = None) -> FastAPI:
    """The app on the store at ``store_root`` (database migrated, pseudonym key ready)."""
    from schildwacht.web.api.v1 import router as api_router
    from schildwacht.web.routes import ROUTERS

    app = FastAPI(
        title="Schildwacht API",
        version="1",
        description="Meldingen, dossiers en onderdrukkingen van Schildwacht.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.ctx = ctx or WebContext.open(store_root)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(AccessLog)
    _install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for router in ROUTERS:
        app.include_router(router, include_in_schema=False)  # pages are not the API
    app.include_router(api_router)
    return app


STORE_ENV = "SCHILDWACHT_STORE"


def app_from_environment() -> FastAPI:
    """The app for one of several worker processes (``schildwacht serve --workers N``):
    uvicorn starts each worker by importing this factory, so the store comes from
    ``SCHILDWACHT_STORE`` and the database from the settings as everywhere else. Each worker
    warms its own evidence cache."""
    from schildwacht.app.evidence import warm_up
    from schildwacht.store.store import Store

    store = Store(Path(os.environ[STORE_ENV]))
    app = create_app(store.root)
    warm_up(store)
    return app

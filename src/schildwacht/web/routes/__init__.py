"""Page routes, one module per part of the app; thin: they call services and render."""

from fastapi import APIRouter

from schildwacht.web.routes import (
    account,
    admin,
    alerts,
    audit,
    auth,
    breaches,
    dossiers,
    inzage,
    lookup,
    reports,
    suppressions,
)

ROUTERS: list[APIRouter] = [
    auth.router,
    alerts.router,
    dossiers.router,
    breaches.router,
    lookup.router,
    inzage.router,
    reports.router,
    suppressions.router,
    audit.router,
    admin.router,
    account.router,
]

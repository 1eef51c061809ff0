"""Page routes, one module per part of the app; thin: they call services and render."""

from fastapi import APIRouter

from schildwacht.web.routes import alerts, auth

ROUTERS: list[APIRouter] = [auth.router, alerts.router]

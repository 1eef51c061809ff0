"""``/api/v1``: JSON for integrations, with personal access tokens (see ``deps.api``)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1")

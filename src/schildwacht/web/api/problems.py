"""Errors as ``application/problem+json`` (RFC 9457), as the Dutch API Design Rules ask."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

API_PREFIX = "/api/"


def is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX)


def problem(
    status: int,
    title: str,
    detail: str,
    *,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type="application/problem+json",
                        headers=headers)  # fmt: skip


def validation_problem(exc: RequestValidationError) -> JSONResponse:
    """400 with ``invalidParams``: which field is wrong and why (API Design Rules)."""
    params = [
        {
            "name": ".".join(str(p) for p in error.get("loc", ())[1:]) or "body",
            "code": error.get("type", "invalid"),
            "reason": error.get("msg", ""),
        }
        for error in exc.errors()
    ]
    return problem(400, "Ongeldige invoer", "Een of meer velden zijn niet juist.",
                   invalidParams=params)  # fmt: skip

"""What every ``/api/v1`` module shares: the bearer scheme, the documented errors, helpers.

The token check itself is ``deps.api``; ``bearer`` only puts the scheme in the OpenAPI
document (``auto_error=False``: a missing token is answered by ``deps.api`` as a 401 problem).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, NoReturn
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.security import HTTPBearer
from pydantic import BaseModel
from sqlalchemy.orm import Session

from schildwacht.app.auth.service import list_users
from schildwacht.web.api.schemas import Link, Problem, ValidationProblem

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
PREFIX = "/api/v1"

bearer = HTTPBearer(
    scheme_name="bearerAuth",
    bearerFormat="swpat_…",
    description=(
        "Persoonlijk toegangstoken (`schildwacht users token NAAM --name DOEL`): "
        "`Authorization: Bearer swpat_...`. Het token heeft de rollen van zijn gebruiker."
    ),
    auto_error=False,
)


def _inline(schema: dict[str, Any]) -> dict[str, Any]:
    """A model's JSON schema with its ``$defs`` written in place (no components needed)."""
    defs = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return resolve(defs[ref.removeprefix("#/$defs/")])
            return {key: resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [resolve(value) for value in node]
        return node

    resolved: dict[str, Any] = resolve(schema)
    return resolved


def _problem_response(description: str, model: type[BaseModel] = Problem) -> dict[str, Any]:
    schema = _inline(model.model_json_schema(mode="serialization"))
    return {"description": description, "content": {"application/problem+json": {"schema": schema}}}


_ERRORS: dict[int | str, dict[str, Any]] = {
    400: _problem_response(
        "Ongeldige invoer: `invalidParams` noemt elk fout veld.", ValidationProblem
    ),
    401: {
        **_problem_response("Geen, een onbekend, verlopen of ingetrokken token."),
        "headers": {"WWW-Authenticate": {"schema": {"type": "string"}, "example": "Bearer"}},
    },
    403: _problem_response("De rollen van het token staan dit niet toe (of: vier ogen)."),
    404: _problem_response("Bestaat niet."),
    409: _problem_response("Past niet bij de huidige toestand (bijvoorbeeld al afgesloten)."),
    "default": _problem_response("Elke andere fout, ook als problem+json."),
}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The documented error responses of a route: 401, 403 and any other ``codes``."""
    wanted = sorted({401, 403, *codes})
    return {code: _ERRORS[code] for code in wanted} | {"default": _ERRORS["default"]}


def invalid(location: str, fields: list[tuple[str, str, str]]) -> NoReturn:
    """Refuse fields the way FastAPI refuses malformed ones (400 with ``invalidParams``);
    ``fields`` holds (name, message, code) triples."""
    raise RequestValidationError(
        [{"loc": (location, name), "msg": message, "type": code} for name, message, code in fields]
    )


def local(value: datetime) -> datetime:
    """A stored (UTC) timestamp in Dutch local time: serialised with its offset."""
    return value.astimezone(AMSTERDAM)


def local_or_none(value: datetime | None) -> datetime | None:
    return local(value) if value is not None else None


def mask_bsn(bsn: str) -> str:
    """Only the last three digits, as on screen: enough to tell people apart, not to look up."""
    return "•" * max(len(bsn) - 3, 0) + bsn[-3:]


def link(path: str) -> Link:
    return Link(href=PREFIX + path)


def page_links(request: Request, *, page: int, page_size: int, total: int) -> dict[str, Link]:
    """``self``, ``first``, ``last`` and, where they exist, ``prev`` and ``next``."""
    pages = max(1, -(-total // page_size))

    def at(number: int) -> Link:
        query = dict(request.query_params) | {"page": str(number), "page_size": str(page_size)}
        return Link(href=f"{request.url.path}?{urlencode(query)}")

    links = {"self": at(page), "first": at(1), "last": at(pages)}
    if page > 1:
        links["prev"] = at(min(page - 1, pages))
    if page < pages:
        links["next"] = at(page + 1)
    return links


def usernames(db: Session) -> dict[int, str]:
    return {u.user_id: u.username for u in list_users(db)}

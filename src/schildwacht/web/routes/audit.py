"""The audit trail for the auditor: read it page by page, check the chain, export it whole.

Reading and exporting the trail are processings of their own and are recorded in it.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from schildwacht.app.audit.queries import audit_actions, audit_page, export_text
from schildwacht.app.audit.service import append, verify
from schildwacht.app.auth.roles import Permission
from schildwacht.errors import UserError
from schildwacht.web.deps import Viewer, context, page
from schildwacht.web.i18n import translations
from schildwacht.web.rendering import AMSTERDAM, N_, render

router = APIRouter(prefix="/audit")
PROBLEMS = (  # verify() reports in English; the page says it in the reader's language
    (re.compile(r"entry (\d+) is missing \(next is (\d+)\)"),
     N_("regel %(a)s ontbreekt (de volgende is %(b)s)")),
    (re.compile(r"entry (\d+) does not follow entry (\d+)"),
     N_("regel %(a)s sluit niet aan op regel %(b)s")),
    (re.compile(r"entry (\d+) was changed after it was written()"),
     N_("regel %(a)s is gewijzigd nadat hij was vastgelegd")),
)  # fmt: skip
Auditor = Annotated[Viewer, Depends(page(Permission.audit_read))]
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8"}


def problem_text(problem: str | None, lang: str) -> str:
    """``verify``'s problem in the reader's language (as reported when not recognised)."""
    for pattern, message in PROBLEMS:
        found = pattern.fullmatch(problem or "")
        if found:
            return translations(lang).gettext(message) % {"a": found[1], "b": found[2]}
    return problem or ""


@router.get("")
def audit_list(
    request: Request,
    viewer: Auditor,
    actie: str = "",
    actor: str = "",
    pagina: Annotated[int, Query(ge=1)] = 1,
) -> Response:
    """Newest first; the chain is checked on every view so tampering shows at once."""
    action, who = actie.strip() or None, actor.strip() or None
    with context(request).tx() as db:
        check = verify(db)
        result = audit_page(db, page=pagina, action=action, actor=who)
        actions = audit_actions(db)
        append(
            db, actor=viewer.user.username, action="audit_viewed", target="audit_log",
            details={"page": result.page, "action": action, "actor": who},
            client=viewer.client,
        )  # fmt: skip
    return render(request, "audit/list.html", viewer, check=check, result=result,
                  problem=problem_text(check.problem, viewer.lang),
                  actions=actions, actie=action or "", actor=who or "")  # fmt: skip


@router.get("/export")
def audit_export(
    request: Request,
    viewer: Auditor,
    fmt: Annotated[str, Query(alias="format")] = "csv",
) -> Response:
    """The whole trail as a download; the export's own entry is in the file it writes."""
    if fmt not in MEDIA_TYPES:
        raise UserError("Kies het formaat csv of jsonl.")
    with context(request).tx() as db:
        append(db, actor=viewer.user.username, action="audit_exported", target="audit_log",
               details={"format": fmt}, client=viewer.client)  # fmt: skip
        body = export_text(db, fmt=fmt)
    stamp = datetime.now(AMSTERDAM).strftime("%Y%m%d-%H%M")
    return Response(
        body,
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="schildwacht-audit-{stamp}.{fmt}"'},
    )

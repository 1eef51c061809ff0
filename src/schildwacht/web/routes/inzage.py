"""The Art. 15 access request ("inzageverzoek"): a resident's consultation report.

Only a privacy officer may make it (``Permission.reveal``, the privacy officer's own right):
answering an access request is the FG's task, and the report lists every use of one
citizen's data. The BSN travels only in POST bodies, never in a URL, so it stays out of
access logs and browser history. Every report, on screen or as PDF, is recorded once in the
audit trail with the signed-in user and the client's address.

The screen shows the same document the person receives (``inzage/report.html``) with the BSN
masked; the PDF is for the person and shows it in full. Its file name holds no BSN, because
file names end up in download folders and histories.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from schildwacht.app.accountability.inzage import InzageReport, consultations
from schildwacht.app.accountability.pdf import page_values, render_pdf
from schildwacht.app.audit.service import append
from schildwacht.app.auth.roles import Permission
from schildwacht.contract import bsn_is_valid
from schildwacht.web.deps import Viewer, context, page
from schildwacht.web.rendering import AMSTERDAM, render

router = APIRouter(prefix="/inzage-verzoek")
Officer = Annotated[Viewer, Depends(page(Permission.reveal))]
PDF_TYPE = "application/pdf"


@dataclass(frozen=True)
class AccessRequest:
    """A valid request from the form: whose data and which Dutch days."""

    bsn: str
    start: date
    end: date


def _form(request: Request, viewer: Viewer, *, status_code: int = 200, **values: Any) -> Response:
    today = datetime.now(AMSTERDAM).date()
    defaults: dict[str, Any] = {
        "bsn": "",
        "van": (today - timedelta(days=365)).isoformat(),
        "tot": today.isoformat(),
        "error": None,
        "field": None,
    }
    return render(request, "inzage/form.html", viewer, status_code=status_code,
                  **(defaults | values))  # fmt: skip


def _parse(bsn: str, van: str, tot: str) -> tuple[AccessRequest | None, str | None, str | None]:
    """The request, or the message and the field to point at (Dutch, like the whole page)."""
    clean = bsn.strip().replace(" ", "").replace(".", "")
    if not bsn_is_valid(clean):
        msg = "Dit is geen geldig BSN. Een BSN heeft 9 cijfers en voldoet aan de elfproef."
        return None, msg, "bsn"
    try:
        start = date.fromisoformat(van.strip())
    except ValueError:
        return None, "Vul een geldige eerste dag in (JJJJ-MM-DD).", "van"
    try:
        end = date.fromisoformat(tot.strip())
    except ValueError:
        return None, "Vul een geldige laatste dag in (JJJJ-MM-DD).", "tot"
    if start > end:
        return None, "De eerste dag ligt na de laatste dag.", "tot"
    return AccessRequest(clean, start, end), None, None


def _read(request: Request, asked: AccessRequest) -> InzageReport:
    return consultations(context(request).store, asked.bsn, start=asked.start, end=asked.end)


def _record(
    request: Request, viewer: Viewer, asked: AccessRequest, fmt: str, report: InzageReport
) -> None:
    """One audit entry per use, once the answer is made: a failure that produced nothing
    for the officer records nothing."""
    details = {"from": asked.start.isoformat(), "to": asked.end.isoformat(), "format": fmt,
               "consultations": len(report.consultations), "via": "web"}  # fmt: skip
    with context(request).tx() as db:
        append(db, actor=viewer.user.username, action="inzage_report", target=asked.bsn,
               details=details, client=viewer.client)  # fmt: skip


def _asked(
    request: Request, viewer: Viewer, bsn: str, van: str, tot: str
) -> tuple[AccessRequest | None, Response]:
    """The parsed request, or None with the form shown again saying what is wrong."""
    asked, error, field = _parse(bsn, van, tot)
    if asked is not None:
        return asked, Response(status_code=204)
    return None, _form(request, viewer, status_code=400, bsn=bsn, van=van, tot=tot,
                       error=error, field=field)  # fmt: skip


@router.get("")
def inzage_form(request: Request, viewer: Officer) -> Response:
    return _form(request, viewer)


@router.post("")
@router.post("/pdf")
def inzage_report(
    request: Request,
    viewer: Officer,
    bsn: Annotated[str, Form()] = "",
    van: Annotated[str, Form()] = "",
    tot: Annotated[str, Form()] = "",
) -> Response:
    """The report on screen, or (posted to ``/pdf``) as a PDF for the person to keep."""
    asked, refusal = _asked(request, viewer, bsn, van, tot)
    if asked is None:
        return refusal
    report = _read(request, asked)
    if not request.url.path.endswith("/pdf"):
        form = {"bsn": asked.bsn, "van": asked.start.isoformat(), "tot": asked.end.isoformat()}
        shown = render(request, "inzage/report.html", viewer, layout="base.html", form=form,
                       **page_values(report, for_subject=False))  # fmt: skip
        _record(request, viewer, asked, "html", report)
        return shown
    pdf = render_pdf(report)
    _record(request, viewer, asked, "pdf", report)
    name = f"inzageverzoek-{asked.start.isoformat()}-{asked.end.isoformat()}.pdf"
    return Response(pdf, media_type=PDF_TYPE,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip

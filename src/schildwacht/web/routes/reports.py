"""The management report (issue 5, §5): per month or quarter, on screen and as PDF.

Only the roles that account for the municipality's handling of misuse may read it
(``Permission.reports``: the privacy officer and the FG). It holds counts only, so the period
may travel in the URL. Every view and every PDF is recorded once in the audit trail, after
the report was made: a failure that produced nothing records nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from schildwacht.app.accountability.management import ManagementReport, management_report
from schildwacht.app.accountability.period import parse_period, previous_month, recent_periods
from schildwacht.app.audit.service import append
from schildwacht.app.auth.roles import Permission
from schildwacht.detect.runner import detection_params
from schildwacht.web.deps import Viewer, context, page
from schildwacht.web.rendering import AMSTERDAM, render
from schildwacht.web.views.management_report import file_name, page_values, render_pdf

router = APIRouter(prefix="/rapportage")
Reader = Annotated[Viewer, Depends(page(Permission.reports))]
PDF_TYPE = "application/pdf"


def _report(request: Request, viewer: Viewer, periode: str | None) -> ManagementReport:
    """The report for ``periode`` (default: the previous complete month); a bad period is a
    ``UserError``, shown as a 400 page that says what to type."""
    today = datetime.now(AMSTERDAM).date()
    period = parse_period(periode) if periode else previous_month(today)
    ctx = context(request)
    params = detection_params(ctx.settings)
    with ctx.tx() as db:
        return management_report(db, period=period, user=viewer.user, store=ctx.store,
                                 params=params)  # fmt: skip


def _record(request: Request, viewer: Viewer, report: ManagementReport, fmt: str) -> None:
    details = {"period": report.period.code, "format": fmt, "via": "web"}
    with context(request).tx() as db:
        append(db, actor=viewer.user.username, action="management_report",
               target=f"periode:{report.period.code}", details=details,
               client=viewer.client)  # fmt: skip


@router.get("")
def report_page(request: Request, viewer: Reader, periode: str | None = None) -> Response:
    report = _report(request, viewer, periode)
    today = datetime.now(AMSTERDAM).date()
    shown = render(request, "reports/report.html", viewer, layout="base.html", for_pdf=False,
                   choices=recent_periods(today), **page_values(report))  # fmt: skip
    _record(request, viewer, report, "html")
    return shown


@router.get("/pdf")
def report_pdf(request: Request, viewer: Reader, periode: str | None = None) -> Response:
    report = _report(request, viewer, periode)
    pdf = render_pdf(report)
    _record(request, viewer, report, "pdf")
    name = file_name(report)
    return Response(pdf, media_type=PDF_TYPE,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip

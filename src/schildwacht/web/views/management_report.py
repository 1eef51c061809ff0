"""The management report on screen and as PDF: one template, two layouts.

The screen (layout ``base.html``) and the PDF (layout ``pdf.html``) render the same
template, ``reports/report.html``, with the same charts, so the PDF is what the manager saw.
The report is a Dutch document, like the Art. 15 report. Styles come from
``static/report.css``: the app's CSP forbids inline styles, and one file serves both.

WeasyPrint gets a URL fetcher that only opens files in the static folder, as in
``app/accountability/pdf.py``: nothing in a document should make the server fetch a URL.
"""

from __future__ import annotations

from typing import Any

from babel.numbers import format_decimal

from schildwacht.app.accountability.management import Count, ManagementReport
from schildwacht.app.pdf import LANG, STATIC, html_to_pdf, render_document
from schildwacht.web.report_charts import (
    IN_TIME,
    LATE,
    Bar,
    bar_chart,
    number,
    percent,
    share_chart,
)

STYLESHEET = STATIC / "report.css"
TEMPLATE = "reports/report.html"
PDF_LAYOUT = "pdf.html"
OVERDUE = "#7f1d1d"  # dark red, 10.4:1 on white
WAITING = "#4b5563"  # dark grey, 7.6:1 on white


def hours(value: float | None) -> str:
    """``12,5 uur``; ``geen`` when no alert was picked up."""
    if value is None:
        return "geen"
    return format_decimal(round(value, 1), format="#,##0.0", locale=LANG) + " uur"


def file_name(report: ManagementReport) -> str:
    """``managementrapportage-2026-03.pdf``: the period only, nothing about a person."""
    return f"managementrapportage-{report.period.code}.pdf"


def _bars(rows: tuple[Count, ...]) -> list[Bar]:
    return [Bar(c.label, c.count) for c in rows]


def charts(report: ManagementReport) -> dict[str, Any]:
    """Every chart of the report, as SVG markup."""
    alerts, breaches, share = report.alerts, report.breaches, report.explained
    notifications = [
        Bar("Op tijd gemeld (binnen 72 uur)", breaches.in_time, IN_TIME),
        Bar("Te laat gemeld", breaches.late, LATE),
        Bar("Nog te melden, binnen de termijn", breaches.to_notify - breaches.overdue, WAITING),
        Bar("Nog te melden, termijn verstreken", breaches.overdue, OVERDUE),
    ]
    return {
        "scenario": bar_chart(_bars(alerts.by_scenario), title="Meldingen per scenario",
                              chart_id="rp-scenario", unit="meldingen"),
        "department": bar_chart(_bars(alerts.by_department), title="Meldingen per afdeling",
                                chart_id="rp-department", unit="meldingen"),
        "explained": (
            share_chart(share.explained, share.accesses, chart_id="rp-explained",
                        title="Aandeel raadplegingen verklaard door het werk")
            if share.share is not None else None
        ),
        "notifications": bar_chart(notifications, chart_id="rp-notifications",
                                   title="Meldingen aan de AP en de termijn van 72 uur",
                                   unit="datalekken"),
    }  # fmt: skip


def page_values(report: ManagementReport) -> dict[str, Any]:
    """What ``reports/report.html`` needs."""
    return {
        "report": report,
        "period": report.period,
        "created": report.created_at.strftime("%d-%m-%Y %H:%M"),
        "charts": charts(report),
        "number": number,
        "hours": hours,
        "percent": percent,
    }


def report_html(report: ManagementReport) -> str:
    """The report as a standalone HTML document for the PDF."""
    values = page_values(report)
    return render_document(TEMPLATE, PDF_LAYOUT, for_pdf=True, body_class="sw-report-pdf", **values)


def render_pdf(report: ManagementReport) -> bytes:
    """The report as PDF bytes, styled by ``STYLESHEET``, fetching nothing from outside."""
    return html_to_pdf(report_html(report), STYLESHEET)

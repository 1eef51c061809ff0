"""The Art. 15 consultation report as a PDF for the person who asked, in plain Dutch (B1).

The PDF and the privacy officer's screen render the same template
(``web/templates/inzage/report.html``), so the officer reviews exactly what the person will
read; only the layout around it differs, and the screen masks the BSN while the PDF, meant
for the person themselves, shows it in full. Styles come from a CSS file in the web app's
static folder (the app's CSP forbids inline styles, and one file serves both).

WeasyPrint is given a URL fetcher that only opens files in that static folder: the report
holds text from the event store, and nothing in a document about a citizen should make the
server fetch a URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from babel.dates import format_date, format_datetime

from schildwacht.app.accountability.inzage import Consultation, InzageReport
from schildwacht.app.pdf import LANG, STATIC, html_to_pdf, render_document

STYLESHEET = STATIC / "inzage-report.css"
TEMPLATE = "inzage/report.html"
PDF_LAYOUT = "pdf.html"

ACTION_TEXT = {
    "view": "Bekeken",
    "search": "Gezocht",
    "create": "Vastgelegd",
    "update": "Gewijzigd",
    "delete": "Verwijderd",
    "export": "Uitgevoerd naar een bestand",
    "print": "Afgedrukt",
}
OUTCOME_TEXT = {"denied": "het systeem gaf geen toegang", "error": "dit ging mis"}
SYSTEM_TEXT = {
    "brp": "BRP (Basisregistratie Personen)",
    "zaaksysteem": "Zaaksysteem",
    "belastingen": "Belastingen",
    "sociaal-domein": "Sociaal domein",
    "vergunningen": "Vergunningen",
}
CATEGORY_TEXT = {
    "basis": "naam en geboortegegevens",
    "adres": "adres",
    "bsn": "BSN",
    "financieel": "geld en inkomen",
    "gezondheid": "gezondheid",
    "strafrechtelijk": "strafrechtelijke gegevens",
    "jeugd": "jeugd",
}


@dataclass(frozen=True)
class Row:
    """One line of the report's table, as the person reads it."""

    when: str  # "2 maart 2026, 10:15 uur", Dutch time
    system: str
    action: str
    purpose: str
    case: str
    data: str


def page_values(report: InzageReport, *, for_subject: bool) -> dict[str, Any]:
    """What the report template needs; ``for_subject``: the PDF for the person (full BSN)."""
    return {
        "report": report,
        "for_subject": for_subject,
        "shown_bsn": report.bsn if for_subject else mask_bsn(report.bsn),
        "person": report.name or "onbekend (niet in de BRP-gegevens van de gemeente)",
        "period": f"{_day(report.start)} tot en met {_day(report.end)}",
        "created": format_datetime(report.created_at, "d MMMM yyyy", locale=LANG),
        "rows": [row(c) for c in report.consultations],
        "purposes": report.purposes,
        "automated": sum(c.automated for c in report.consultations),
    }


def mask_bsn(bsn: str) -> str:
    """Only the last three digits, as the app's screens show a BSN (``rendering.mask_bsn``)."""
    return "•" * max(len(bsn) - 3, 0) + bsn[-3:]


def row(c: Consultation) -> Row:
    """A consultation in words: what happened, in which system, why, which data."""
    action = ACTION_TEXT.get(c.action, c.action)
    if c.automated:
        action += " door een computerprogramma, zonder medewerker"
    if c.outcome in OUTCOME_TEXT:
        action += f" ({OUTCOME_TEXT[c.outcome]})"
    return Row(
        when=format_datetime(c.occurred_at, "d MMMM yyyy, HH:mm 'uur'", locale=LANG),
        system=SYSTEM_TEXT.get(c.source_system, c.source_system),
        action=action,
        purpose=c.processing_activity or "niet vastgelegd",
        case=_case_text(c),
        data=", ".join(CATEGORY_TEXT.get(k, k) for k in c.data_categories) or "niet vastgelegd",
    )


def _case_text(c: Consultation) -> str:
    if c.case_type:
        return f"Zaak: {c.case_type}"
    if c.in_case:
        return "Hoort bij een zaak (het soort zaak kunnen wij hier niet noemen)"
    return ""


def _day(value: date) -> str:
    return format_date(value, "d MMMM yyyy", locale=LANG)


def report_html(report: InzageReport) -> str:
    """The report as a standalone HTML document for the person (full BSN)."""
    values = page_values(report, for_subject=True)
    return render_document(TEMPLATE, PDF_LAYOUT, body_class="sw-inzage-pdf", **values)


def render_pdf(report: InzageReport) -> bytes:
    """The report as PDF bytes, styled by ``STYLESHEET``, fetching nothing from outside."""
    return html_to_pdf(report_html(report), STYLESHEET)

"""The breach documents as HTML and PDF: the AP draft, the letters and the register.

Each document is one Dutch template (``web/templates/breaches/``) that extends a layout
given at render time: ``base.html`` in the web app, ``pdf.html`` for the PDF, as
the Art. 15 report does (``accountability/pdf.py``). The ``*_values`` functions give what a
template needs, so the web app renders the same page on screen with
``render(request, "breaches/ap_draft.html", viewer, layout="base.html", **draft_values(d))``.

Styles come from ``static/breach-documents.css`` (the app's CSP forbids inline styles). The
register is printed landscape through a named page. WeasyPrint gets a URL fetcher that opens
only files in the static folder: the documents hold text typed by officers and read from
the store, and nothing in them should make the server fetch a URL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from schildwacht.app.breaches.letters import LetterBatch, Recipient
from schildwacht.app.breaches.models import Breach
from schildwacht.app.breaches.notification import SOURCES_NL, ApDraft
from schildwacht.app.breaches.register import register_row
from schildwacht.app.breaches.severity import AP_SEVERITY, Band
from schildwacht.app.breaches.wording import BAND_NL, MEASURE_KIND_NL, day, moment
from schildwacht.app.pdf import STATIC, html_to_pdf, render_document
from schildwacht.errors import UserError

STYLESHEET = STATIC / "breach-documents.css"
PDF_LAYOUT = "pdf.html"
AP_DRAFT = "breaches/ap_draft.html"
LETTER = "breaches/letter.html"
REGISTER = "breaches/register.html"

STATUS_NL = {"open": "open", "notified": "gemeld", "closed": "gesloten"}
ORIGIN_SHORT = {"dossier": "uit een onderzoeksdossier", "tip_citizen": "tip van een inwoner",
                "rijksrecherche": "Rijksrecherche", "manager": "leidinggevende",
                "other": "anders"}  # fmt: skip


def _render(template: str, layout: str, **values: Any) -> str:
    return render_document(template, layout, **values)


def _pdf(html: str) -> bytes:
    return html_to_pdf(html, STYLESHEET)


# --- The AP draft ---------------------------------------------------------------------------


def draft_values(draft: ApDraft) -> dict[str, Any]:
    """What ``breaches/ap_draft.html`` needs (besides ``layout``)."""
    return {"draft": draft, "sources": SOURCES_NL, "created": moment(draft.created_at)}


def ap_draft_html(draft: ApDraft) -> str:
    """The draft as a standalone HTML document (the PDF's source)."""
    return _render(AP_DRAFT, PDF_LAYOUT, body_class="sw-doc sw-doc-ap", **draft_values(draft))


def ap_draft_pdf(draft: ApDraft) -> bytes:
    """The AP draft as PDF: every question, its answer and source, 'nog invullen' marked."""
    return _pdf(ap_draft_html(draft))


# --- Letters --------------------------------------------------------------------------------


def _letter(r: Recipient) -> dict[str, Any]:
    """One person's letter values: no full BSN, no address for geheimhouding."""
    address = [] if r.confidential else [" ".join(v for v in (r.postcode, r.house_number) if v)]
    return {
        "reference": r.reference,
        "addressee": f"Aan de ouder(s) of verzorger(s) van {r.name}" if r.minor else r.name,
        "salutation": "Beste ouder of verzorger" if r.minor else f"Beste {r.name}",
        "address": [line for line in address if line],
        "hand_delivery": r.confidential,
        "minor": r.minor,
        "bsn_tail": r.bsn_tail,
    }


def letter_values(batch: LetterBatch) -> dict[str, Any]:
    """What ``breaches/letter.html`` needs (besides ``layout``)."""
    return {"text": batch.text, "letters": [_letter(r) for r in batch.recipients]}


def letters_html(batch: LetterBatch, *, reference: str | None = None) -> str:
    chosen = batch.only(reference) if reference else batch
    if not chosen.recipients:
        raise UserError(
            f"datalek {batch.breach_id}: niemand om te schrijven ({batch.deceased} overleden, "
            f"{batch.unknown} niet in de BRP-gegevens)"
        )
    return _render(LETTER, PDF_LAYOUT, body_class="sw-doc sw-doc-letters", **letter_values(chosen))


def letter_pdf(batch: LetterBatch, *, reference: str | None = None) -> bytes:
    """Every letter of ``batch``, one per page; with ``reference`` only that person's."""
    return _pdf(letters_html(batch, reference=reference))


# --- The register ---------------------------------------------------------------------------


def _when(iso: str) -> str:
    return moment(datetime.fromisoformat(iso)) if iso else ""


def _register(breach: Breach, pseudonym: Callable[[str], str]) -> dict[str, Any]:
    row = register_row(breach, pseudonym)
    severity = ""
    if breach.severity is not None:
        score = str(row["severity_score"]).replace(".", ",")
        band = Band(breach.severity["band"])
        severity = f"{score} ({BAND_NL[band.value]}; AP: {AP_SEVERITY[band]})"
    measures = [f"{day(m.taken_on)}, {MEASURE_KIND_NL.get(m.kind, m.kind)}: {m.text}"
                for m in breach.measures]  # fmt: skip
    return row | {
        "origin": ORIGIN_SHORT.get(breach.origin, breach.origin),
        "status": STATUS_NL.get(breach.status, breach.status),
        "aware_at": _when(row["aware_at"]), "deadline": _when(row["deadline"]),
        "notified_at": _when(row["notified_at"]), "closed_at": _when(row["closed_at"]),
        "initial_notice_at": _when(row["initial_notice_at"]),
        "people": row["affected_people"], "records": row["affected_records"],
        "categories": row["data_categories"].replace(";", ","),
        "confidential": row["confidential_addresses"],
        "watchlist": row["watchlist_categories"].replace(";", ","),
        "severity": severity, "postponed": row["postponed_art41_until"], "measures": measures,
    }  # fmt: skip


def register_values(
    breaches: Iterable[Breach], pseudonym: Callable[[str], str], *, now: datetime | None = None
) -> dict[str, Any]:
    """What ``breaches/register.html`` needs (besides ``layout``)."""
    created = moment(now or datetime.now(UTC))
    return {"rows": [_register(b, pseudonym) for b in breaches], "created": created}


def register_pdf(
    breaches: Iterable[Breach], pseudonym: Callable[[str], str], *, now: datetime | None = None
) -> bytes:
    """The Art. 33(5) register as a landscape PDF table; staff as pseudonyms only."""
    values = register_values(breaches, pseudonym, now=now)
    return _pdf(_render(REGISTER, PDF_LAYOUT, body_class="sw-doc sw-doc-register", **values))

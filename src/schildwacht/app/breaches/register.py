"""The breach register of Art. 33(5) GDPR: every breach, notified or not, with its facts,
effects, measures and reasoning, as rows for a CSV export.

The register is the municipality's accountability towards the AP: a breach that was not
notified is in it too, with the finding why not and who (as FG) confirmed that. Staff appear
only as pseudonyms; citizens only as counts. Measures taken ("the remedial action taken")
and the notices sent to the AP (the initial one and the additions of Art. 33(4)) close the
row. New columns are only ever added at the end, so a spreadsheet built on an earlier export
keeps working. ``documents.register_pdf`` prints the same rows as a landscape table.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from schildwacht.app.breaches.deadline import notification_deadline
from schildwacht.app.breaches.models import (
    Breach,
    BreachDecision,
    DecisionKind,
    DecisionState,
    NoticePhase,
)

COLUMNS = (
    "breach_id", "title", "origin", "status", "employee", "aware_at", "deadline",
    "notified_at", "delay_reason", "affected_people", "affected_records", "data_categories",
    "minors", "confidential_addresses", "watchlist_categories", "severity_score",
    "severity_band", "severity_reason", "notify_ap", "notify_ap_reason",
    "notify_ap_confirmed_by", "inform_subjects", "inform_subjects_reason",
    "art34_exception", "postponed_art41_until",
    "measures", "initial_notice_at", "additions", "ap_reference", "closed_at",
)  # fmt: skip
"""The register's columns, in order (``docs/breach.md`` explains each)."""


def _decision(breach: Breach, kind: DecisionKind) -> BreachDecision | None:
    return breach.in_force(kind) or breach.pending(kind)


def _yes_no(decision: BreachDecision | None, default: str = "") -> str:
    if decision is None:
        return default
    pending = " (wacht op FG)" if decision.state == DecisionState.pending_fg else ""
    return ("ja" if decision.value else "nee") + pending


def measures_text(breach: Breach) -> str:
    """Every measure taken, oldest first: ``2026-03-05 end: Account geblokkeerd``."""
    return "; ".join(f"{m.taken_on.isoformat()} {m.kind}: {m.text}" for m in breach.measures)


def register_row(breach: Breach, pseudonym: Callable[[str], str]) -> dict[str, Any]:
    """One breach as a register row; times in ISO 8601 with offset."""
    affected, severity = breach.affected, breach.severity or {}
    initial = next((n for n in breach.notices if n.phase == NoticePhase.initial), None)
    reference = next((n.ap_reference for n in breach.notices if n.ap_reference), None)
    notify = _decision(breach, DecisionKind.notify_ap)
    inform = _decision(breach, DecisionKind.inform_subjects)
    postpone = _decision(breach, DecisionKind.postpone_art41)
    return {
        "breach_id": breach.breach_id, "title": breach.title, "origin": breach.origin,
        "status": breach.status,
        "employee": pseudonym(breach.employee_id) if breach.employee_id else "",
        "aware_at": breach.aware_at.isoformat(),
        "deadline": notification_deadline(breach.aware_at).isoformat(),
        "notified_at": breach.notified_at.isoformat() if breach.notified_at else "",
        "delay_reason": breach.delay_reason or "",
        "affected_people": affected.get("people", ""),
        "affected_records": affected.get("records", ""),
        "data_categories": "; ".join(affected.get("data_categories", [])),
        "minors": affected.get("minors", ""),
        "confidential_addresses": affected.get("confidential_addresses", ""),
        "watchlist_categories": "; ".join(affected.get("watchlist_categories", [])),
        "severity_score": severity.get("score", ""), "severity_band": severity.get("band", ""),
        "severity_reason": breach.severity_reason or "",
        "notify_ap": _yes_no(notify, default="ja (standaard)"),
        "notify_ap_reason": notify.reason if notify else "",
        "notify_ap_confirmed_by": (notify.confirmed_by or "") if notify else "",
        "inform_subjects": _yes_no(inform),
        "inform_subjects_reason": inform.reason if inform else "",
        "art34_exception": (inform.exception or "") if inform else "",
        "postponed_art41_until": (
            str(postpone.review_on or "") if postpone and postpone.value else ""
        ),
        "measures": measures_text(breach),
        "initial_notice_at": initial.sent_at.isoformat() if initial else "",
        "additions": sum(1 for n in breach.notices if n.phase == NoticePhase.addition),
        "ap_reference": reference or "",
        "closed_at": breach.closed_at.isoformat() if breach.closed_at else "",
    }  # fmt: skip


def register_csv(breaches: Iterable[Breach], pseudonym: Callable[[str], str]) -> str:
    """The register as CSV text (a header, then one row per breach)."""
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(register_row(breach, pseudonym) for breach in breaches)
    return buffer.getvalue()


def write_register_csv(
    breaches: Iterable[Breach], output: Path, pseudonym: Callable[[str], str]
) -> int:
    """Write the register to ``output`` (UTF-8 with BOM, so spreadsheet programs read the
    Dutch characters right); returns the number of breaches written."""
    rows = list(breaches)
    output.write_text(register_csv(rows, pseudonym), encoding="utf-8-sig", newline="")
    return len(rows)

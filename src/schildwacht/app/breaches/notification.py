"""The AP notification draft: every question of the AP's form, answered from the dossier.

There is no AP API (``BREACH.md`` §6): a person types the answers into the AP's online form.
This module prepares them, question by question (``ap_form.QUESTIONS``), and says for each
where the answer came from and whether it is still missing, as OpenVWR does (§11):

- ``dossier``: the breach dossier (awareness, decisions, severity, measures);
- ``evidence``: the affected-people summary and the alerts behind it;
- ``settings``: the ``[organisation]`` section of ``schildwacht.toml``;
- ``reporter``: the signed-in person preparing the notification;
- ``officer``: the particulars only a person can give (``particulars.PARTICULARS``),
  stored on the dossier;
- ``default``: the usual answer for an employee's look-up [project]; check it.

The draft never names the employee: the form does not ask for it, and a pseudonym would only
be a handle to a person for whoever reads the copy. Its JSON (``ApDraft.as_json``) is what
the web app serves and what ``service.mark_notified(content=...)`` keeps as sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from schildwacht.app.alerts.models import AlertRecord
from schildwacht.app.breaches import ap_form as form
from schildwacht.app.breaches.ap_answers import AlertFacts, Answer, Context, answers
from schildwacht.app.breaches.models import Breach, NoticePhase
from schildwacht.app.breaches.particulars import PARTICULARS, Particular, parse_particulars
from schildwacht.config import OrganisationSettings
from schildwacht.errors import UserError

__all__ = [
    "PARTICULARS",
    "SOURCES_NL",
    "AlertFacts",
    "ApDraft",
    "DraftField",
    "DraftSection",
    "Particular",
    "alert_facts",
    "build_draft",
    "parse_particulars",
]

SOURCES_NL: Mapping[str, str] = {
    "dossier": "dossier",
    "evidence": "bewijs",
    "settings": "instellingen",
    "reporter": "melder",
    "officer": "ingevuld door de behandelaar",
    "default": "standaardantwoord (controleer)",
}
"""Where an answer came from, in Dutch, for the printed draft."""


def alert_facts(session: Session, breach: Breach) -> AlertFacts:
    """The period, scenarios, summaries and subjects of the alerts in ``breach.affected``."""
    ids = list(breach.affected.get("alert_ids") or ())
    if not ids:
        return AlertFacts()
    query = sa.select(AlertRecord).where(AlertRecord.alert_id.in_(ids))
    alerts = sorted(session.execute(query).scalars(), key=lambda a: a.first_seen)
    if not alerts:
        return AlertFacts()
    return AlertFacts(
        first_seen=min(a.first_seen for a in alerts),
        last_seen=max(a.last_seen for a in alerts),
        scenarios=tuple(dict.fromkeys(s for a in alerts for s in a.scenarios)),
        summaries=tuple(dict.fromkeys(a.summary_nl for a in alerts if a.summary_nl)),
        subject_bsns=tuple(sorted({b for a in alerts for b in a.subject_bsns})),
    )


@dataclass(frozen=True)
class DraftField:
    """One answer of the draft."""

    number: str
    id: str
    label: str
    value: tuple[str, ...]  # one line per ticked option or text; empty when unanswered
    sources: tuple[str, ...]
    missing: bool
    multiple: bool
    note: str = ""

    def as_json(self) -> dict[str, Any]:
        value: str | list[str] = list(self.value) if self.multiple else "\n".join(self.value)
        return {
            "number": self.number, "id": self.id, "label": self.label, "value": value,
            "source": list(self.sources), "missing": self.missing, "note": self.note,
        }  # fmt: skip


@dataclass(frozen=True)
class DraftSection:
    number: str
    id: str
    title: str
    fields: tuple[DraftField, ...]


@dataclass(frozen=True)
class ApDraft:
    """The answers to every question of the AP form, by chapter."""

    breach_id: int
    phase: str
    created_at: datetime
    ap_reference: str | None  # an addition refers to the initial notification
    sections: tuple[DraftSection, ...]

    @property
    def fields(self) -> tuple[DraftField, ...]:
        return tuple(f for s in self.sections for f in s.fields)

    @property
    def missing(self) -> tuple[DraftField, ...]:
        return tuple(f for f in self.fields if f.missing)

    def field(self, field_id: str) -> DraftField:
        for f in self.fields:
            if f.id == field_id:
                return f
        raise KeyError(field_id)

    def as_json(self) -> dict[str, Any]:
        """Plain JSON: the form, the chapters with their answers, a flat map of answers by
        field id, and the missing questions."""
        return {
            "form": form.FORM_NAME, "form_version": form.FORM_VERSION, "form_url": form.FORM_URL,
            "breach_id": self.breach_id, "phase": self.phase,
            "created_at": self.created_at.isoformat(timespec="seconds"),
            "ap_reference": self.ap_reference,
            "sections": [
                {"number": s.number, "id": s.id, "title": s.title,
                 "fields": [f.as_json() for f in s.fields]}
                for s in self.sections
            ],
            "fields": {f.id: f.as_json()["value"] for f in self.fields},
            "missing": [{"number": f.number, "id": f.id, "label": f.label}
                        for f in self.missing],
        }  # fmt: skip


def build_draft(
    breach: Breach, *, organisation: OrganisationSettings, reporter_name: str,
    phase: NoticePhase | str = NoticePhase.initial, now: datetime,
    alerts: AlertFacts | None = None,
) -> ApDraft:  # fmt: skip
    """The AP draft of ``breach`` at ``now``; ``alerts`` (``alert_facts``) adds the period
    and the findings of the alerts, without which 4.1 stays to be filled in."""
    try:
        stage = NoticePhase(phase)
    except ValueError:
        raise UserError(f"onbekende fase {phase!r}; kies initial of addition") from None
    ctx = Context(breach, organisation, reporter_name.strip(), stage, now, alerts or AlertFacts())
    found = answers(ctx)
    sections = []
    for number, chapter, title in form.CHAPTERS:
        fields = []
        for q in (q for q in form.QUESTIONS if q.chapter == chapter):
            a = found.get(q.id, Answer())
            fields.append(DraftField(q.number, q.id, q.label, a.value, a.sources,
                                     q.required and not a.value, q.multiple, a.note))  # fmt: skip
        sections.append(DraftSection(number, chapter, title, tuple(fields)))
    first = next((n.ap_reference for n in breach.notices if n.ap_reference), None)
    return ApDraft(breach.breach_id, stage.value, now, first, tuple(sections))

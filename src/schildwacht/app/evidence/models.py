"""What the alert page shows about an alert's evidence, as plain frozen values.

These are read models: computed from the event store on request, never stored, and safe to
hand to templates (no open connection, no lazy loading behind them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from schildwacht.detect.evidence import WEAK
from schildwacht.detect.explanation import EXPLANATION_TEXT_NL

EXPLANATION_TEXT_EN: dict[str, str] = {
    "zaak_in_log": "the case is recorded in the log line",
    "zaak_behandelaar": "the employee handles a case of this person",
    "afspraak": "the employee had an appointment with this person",
    "zaak_team": "this person's case sits with the team",
    "zaak_collega": "a teammate's case (covering for a colleague)",
    "afspraak_team": "the team had an appointment with this person",
    "afdeling_zaaktype": "the department routinely handles this case type",
}
"""English twins of detection's ``EXPLANATION_TEXT_NL`` (detection only speaks Dutch)."""


@dataclass(frozen=True)
class EvidenceEvent:
    """One evidence event of an alert, with how detection's explanation stage judged it.

    ``explained`` and ``explanation`` are exactly what the explanation stage says.
    ``has_work_reason`` is what the scenarios count: a learned department routine
    (``afdeling_zaaktype``) explains routine work, not why this person was opened.
    """

    event_key: str  # "source_system:event_id", as in Alert.event_ids
    source_system: str
    event_id: str
    occurred_at: datetime  # tz-aware, Europe/Amsterdam
    employee_id: str
    action: str
    subject_bsn: str | None
    processing_activity: str | None
    case_id: str | None
    data_categories: tuple[str, ...]
    search_terms: str | None
    result_count: int | None
    outcome: str | None
    client: str | None
    explained: bool
    explanation: str | None  # a code of detect.explanation.EXPLANATIONS, or None

    @property
    def has_work_reason(self) -> bool:
        return self.explained and self.explanation != WEAK

    @property
    def explanation_nl(self) -> str | None:
        return EXPLANATION_TEXT_NL.get(self.explanation or "")

    @property
    def explanation_en(self) -> str | None:
        return EXPLANATION_TEXT_EN.get(self.explanation or "")


@dataclass(frozen=True)
class DayActivity:
    """One Amsterdam calendar day of an employee's accesses.

    ``explained`` and ``unexplained`` split every access to a person (an event with a
    subject) the way the scenarios do: a department routine alone counts as unexplained.
    ``subject`` counts the accesses to the alert's subjects, which are *also* counted in
    those two; ``subject_unexplained`` is their unexplained part. ``without_subject`` counts
    events that touched nobody in particular (a search returning nothing or many).
    """

    day: date
    explained: int = 0
    unexplained: int = 0
    subject: int = 0
    subject_unexplained: int = 0
    without_subject: int = 0

    @property
    def accesses(self) -> int:
        """Accesses to persons (explained plus unexplained)."""
        return self.explained + self.unexplained

    @property
    def other_explained(self) -> int:
        """Explained accesses to people other than the alert's subjects (for stacking)."""
        return self.explained - (self.subject - self.subject_unexplained)

    @property
    def other_unexplained(self) -> int:
        """Unexplained accesses to people other than the alert's subjects (for stacking)."""
        return self.unexplained - self.subject_unexplained


@dataclass(frozen=True)
class Timeline:
    """An employee's accesses per day, ``days`` before to ``days`` after the alert day."""

    employee_id: str
    alert_day: date  # the Amsterdam calendar day of ``around``
    subject_bsns: tuple[str, ...]
    rows: tuple[DayActivity, ...]  # one per day, oldest first, empty days included

    @property
    def start(self) -> date:
        return self.rows[0].day

    @property
    def end(self) -> date:
        return self.rows[-1].day


@dataclass(frozen=True)
class Connection:
    """One thing that ties the employee to a subject, in a sentence for each language.

    ``kind`` is a stable code (see ``connections.KINDS``); ``detail`` is its machine-readable
    specifics where there are any (the watchlist category, the colleague's department).
    """

    subject_bsn: str
    kind: str
    text_nl: str
    text_en: str
    detail: str | None = None


@dataclass(frozen=True)
class EmployeeProfile:
    """Who the employee is, from the staff records (shown only after a justified reveal)."""

    employee_id: str
    name: str  # display name: given name, prefix and surname
    given_name: str | None
    surname_prefix: str | None
    surname: str | None
    partner_surname: str | None
    department: str | None
    team: str | None
    job_title: str | None
    employed_from: date | None
    employed_until: date | None
    service_account: bool

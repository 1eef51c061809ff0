"""What detection hands to the rest of the system: findings, reasons and alert candidates.

A *finding* is one scenario's evidence about one employee (and, usually, one subject). The
scorer combines the findings of an (employee, subject) pair into an *alert candidate*; the
alert store persists candidates by their stable ``alert_id``. Reasons carry both a machine
code and plain-language text in Dutch and English, because an alert must say why without
anyone opening the tool.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Reason:
    """One piece of evidence, as a privacy officer would read it."""

    scenario: str  # scenario code, e.g. "family"
    code: str  # machine-readable detail, e.g. "relation:ex_partner"
    text_nl: str  # e.g. "bekeek 4 keer het dossier van zijn ex-partner"
    text_en: str  # e.g. "viewed his ex-partner's record 4 times"
    points: float  # contribution to the risk before the 0-100 mapping
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Finding:
    """One scenario's evidence about an employee and (optionally) a subject."""

    scenario: str
    scenario_version: str
    employee_id: str
    subject_bsn: str | None
    first_seen: datetime
    last_seen: datetime
    event_ids: tuple[str, ...]  # "source_system:event_id"
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class AlertCandidate:
    """An alert as detection computed it; the alert store adds workflow state."""

    alert_id: str  # stable: same (employee, subject) or (employee, volume key) -> same id
    employee_id: str
    subject_bsns: tuple[str, ...]
    scenarios: tuple[str, ...]
    score: float  # 0-100, comparable across alerts and runs
    first_seen: datetime
    last_seen: datetime
    event_ids: tuple[str, ...]
    summary_nl: str
    summary_en: str
    reasons: tuple[Reason, ...]
    scenario_versions: dict[str, str] = field(default_factory=dict)

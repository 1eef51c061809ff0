"""Combine findings into alerts with a 0-100 score that means the same everywhere.

1. Findings about one (employee, citizen) pair form one alert; volume findings (harvesting,
   browsing, bulk, leaver) form one alert per (employee, scenario) and absorb the plain
   ``unexplained_access`` findings on the citizens they already list, so one harvesting
   employee does not flood the queue with thirty near-identical alerts.
2. Within an alert the strongest finding counts fully, the next half, the next a quarter:
   more kinds of evidence raise the alert without double counting one look.
3. Risk accumulates per employee: every alert gains a share of the employee's other evidence
   (repeat offenders rise), up to a cap.
4. Points map to a score by ``100 * (1 - exp(-points / scale))``: a fixed function, so a
   threshold or a top-K list means the same across alerts, runs and municipalities.

``alert_id`` is a hash of what the alert is about (employee and citizen, or employee and
volume scenario), so re-runs over the same data give the same ids and new evidence about an
existing pair updates that alert instead of adding a twin.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from schildwacht.detect.model import AlertCandidate, Reason
from schildwacht.detect.scenarios import SCENARIOS, VOLUME_SCENARIOS
from schildwacht.detect.scenarios.base import Assessment

WEIGHTS = (1.0, 0.5, 0.25, 0.125)


@dataclass(frozen=True)
class ScoredFinding:
    """One scenario's assessed candidate row."""

    scenario: str
    version: str
    employee_id: str
    subject_bsn: str | None
    subjects: tuple[str, ...]
    first_seen: datetime
    last_seen: datetime
    event_keys: tuple[str, ...]
    assessment: Assessment


@dataclass(frozen=True)
class ScoringSettings:
    scale: float = 60.0
    threshold: float = 30.0
    accumulation_share: float = 0.1
    accumulation_cap: float = 10.0


def score_of(points: float, scale: float) -> float:
    """The fixed map from points to 0-100."""
    return round(100.0 * (1.0 - math.exp(-max(points, 0.0) / scale)), 1)


def alert_id(employee_id: str, about: str) -> str:
    digest = hashlib.sha256(f"{employee_id}\x00{about}".encode()).hexdigest()
    return f"A-{digest[:16]}"


def _groups(findings: list[ScoredFinding]) -> dict[tuple[str, str], list[ScoredFinding]]:
    """Findings by alert: (employee, "bsn:<subject>") or (employee, "volume:<scenario>")."""
    volume_subjects: dict[str, set[str]] = defaultdict(set)
    for f in findings:
        if f.scenario in VOLUME_SCENARIOS:
            volume_subjects[f.employee_id].update(f.subjects)
    groups: dict[tuple[str, str], list[ScoredFinding]] = defaultdict(list)
    for f in findings:
        if f.scenario in VOLUME_SCENARIOS or f.subject_bsn is None:
            groups[(f.employee_id, f"volume:{f.scenario}")].append(f)
        elif f.scenario == "unexplained_access" and f.subject_bsn in volume_subjects[f.employee_id]:
            continue  # already part of that employee's volume alert
        else:
            groups[(f.employee_id, f"bsn:{f.subject_bsn}")].append(f)
    return groups


def _combined(members: list[ScoredFinding]) -> float:
    ordered = sorted((m.assessment.points for m in members), reverse=True)
    weights = WEIGHTS + (WEIGHTS[-1],) * max(0, len(ordered) - len(WEIGHTS))
    return sum(p * w for p, w in zip(ordered, weights, strict=False))


def _summary(members: list[ScoredFinding], english: bool) -> str:
    top = max(members, key=lambda m: m.assessment.points)
    parts = [r.text_en if english else r.text_nl for r in top.assessment.reasons[:3]]
    text = "; ".join(dict.fromkeys(p for p in parts if p))
    others = sorted({m.scenario for m in members} - {top.scenario})
    if others:
        titles = [
            (SCENARIOS[o].title_en if english else SCENARIOS[o].title_nl).lower() for o in others
        ]
        text += (" (also: " if english else " (ook: ") + ", ".join(titles) + ")"
    return text[:1].upper() + text[1:] + "."


def build_alerts(findings: list[ScoredFinding], settings: ScoringSettings) -> list[AlertCandidate]:
    """Alert candidates at or above the threshold, highest score first.

    Findings are put in a fixed order first and points rounded in the reasons, so the same
    data gives byte-identical alerts whatever order the engine returned rows in.
    """
    findings = sorted(findings, key=_order)
    groups = _groups(findings)
    points = {key: _combined(members) for key, members in groups.items()}
    per_employee: dict[str, float] = defaultdict(float)
    for (employee, _), value in points.items():
        per_employee[employee] += value
    alerts = []
    for key, members in groups.items():
        employee, about = key
        others = per_employee[employee] - points[key]
        bonus = min(settings.accumulation_cap, settings.accumulation_share * others)
        reasons = [
            replace(r, points=round(r.points, 2)) for m in members for r in m.assessment.reasons
        ]
        if bonus >= 1.0:
            reasons.append(_accumulation_reason(members[0].scenario, others, bonus))
        score = score_of(points[key] + bonus, settings.scale)
        if score < settings.threshold:
            continue
        alerts.append(_candidate(employee, about, members, reasons, score))
    alerts.sort(key=lambda a: (-a.score, a.alert_id))
    return alerts


def _order(f: ScoredFinding) -> tuple[str, str, str, str, tuple[str, ...], tuple[str, ...]]:
    """A total order on findings: engines return a scenario's rows in no fixed order.

    The reason codes break the last tie: one scenario can find the same events twice in
    different ways (an account used after leaving that had also been dormant).
    """
    codes = tuple(r.code for r in f.assessment.reasons)
    key = (f.employee_id, f.scenario, f.subject_bsn or "", f.first_seen.isoformat())
    return (*key, f.event_keys, codes)


def _accumulation_reason(scenario: str, others: float, bonus: float) -> Reason:
    return Reason(
        scenario,
        "repeat",
        "de medewerker heeft ook andere signalen",
        "the employee has other signals too",
        round(bonus, 2),
        {"other_points": round(others, 1)},
    )


def _candidate(
    employee: str, about: str, members: list[ScoredFinding], reasons: list[Reason], score: float
) -> AlertCandidate:
    subjects: dict[str, None] = {}
    keys: dict[str, None] = {}
    for m in sorted(members, key=lambda m: -m.assessment.points):
        if m.subject_bsn:
            subjects[m.subject_bsn] = None
        subjects.update(dict.fromkeys(m.subjects))
        keys.update(dict.fromkeys(m.event_keys))
    scenarios = tuple(
        dict.fromkeys(m.scenario for m in sorted(members, key=lambda m: -m.assessment.points))
    )
    return AlertCandidate(
        alert_id=alert_id(employee, about),
        employee_id=employee,
        subject_bsns=tuple(subjects),
        scenarios=scenarios,
        score=score,
        first_seen=min(m.first_seen for m in members),
        last_seen=max(m.last_seen for m in members),
        event_ids=tuple(sorted(keys)),
        summary_nl=_summary(members, english=False),
        summary_en=_summary(members, english=True),
        reasons=tuple(reasons),
        scenario_versions={m.scenario: m.version for m in members},
    )


def finding_from_row(
    scenario: str, version: str, row: dict[str, Any], assessment: Assessment
) -> ScoredFinding:
    """A scenario's result row with its assessment."""
    subjects = tuple(sorted(row.get("subjects") or ()))
    return ScoredFinding(
        scenario=scenario,
        version=version,
        employee_id=str(row["employee_id"]),
        subject_bsn=row.get("subject_bsn"),
        subjects=subjects,
        first_seen=row["first_seen"],
        last_seen=row["last_seen"],
        event_keys=tuple(row.get("event_keys") or ()),
        assessment=assessment,
    )

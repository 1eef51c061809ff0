"""Recall and precision at K, with the contract's matching rule.

An incident is found by an alert when the ``employee_id`` is the same and either the
incident lists subjects and at least one of them is in the alert's ``subject_bsns``, or the
incident lists no subjects and the alert's ``[first_seen, last_seen]`` overlaps the
incident's ``[start, end]``. Among the top K alerts by score, recall is the share of
incidents found and precision the share of alerts that find at least one incident.
Per scenario: recall over that scenario's incidents, precision over the alerts whose
top scenario it is.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from schildwacht.errors import UserError


@dataclass(frozen=True)
class Incident:
    incident_id: str
    scenario: str
    employee_id: str
    subject_bsns: frozenset[str]
    start: datetime
    end: datetime


@dataclass(frozen=True)
class ScoredAlert:
    """The fields of an alert that matching needs."""

    alert_id: str
    employee_id: str
    subject_bsns: frozenset[str]
    scenarios: tuple[str, ...]
    score: float
    first_seen: datetime
    last_seen: datetime


def scored(alerts: Sequence[Any]) -> list[ScoredAlert]:
    """The matching fields of stored alerts (anything with the contract's alert fields)."""
    return [
        ScoredAlert(
            a.alert_id,
            a.employee_id,
            frozenset(a.subject_bsns),
            tuple(a.scenarios),
            a.score,
            a.first_seen,
            a.last_seen,
        )
        for a in alerts
    ]


def read_labels(folder: Path) -> list[Incident]:
    """``labels.jsonl`` beside a data set; raises UserError naming the line on bad input."""
    path = folder / "labels.jsonl" if folder.is_dir() else folder
    if not path.exists():
        raise UserError(f"{path}: no labels.jsonl; evaluation needs a labelled data set")
    incidents = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            incidents.append(
                Incident(
                    incident_id=str(raw["incident_id"]),
                    scenario=str(raw["scenario"]),
                    employee_id=str(raw["employee_id"]),
                    subject_bsns=frozenset(raw.get("subject_bsns") or ()),
                    start=datetime.fromisoformat(raw["start"]),
                    end=datetime.fromisoformat(raw["end"]),
                )
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise UserError(f"{path}:{number}: not a valid label ({exc})") from None
    return incidents


def matches(alert: ScoredAlert, incident: Incident) -> bool:
    """The contract's matching rule."""
    if alert.employee_id != incident.employee_id:
        return False
    if incident.subject_bsns:
        return bool(incident.subject_bsns & alert.subject_bsns)
    return alert.first_seen <= incident.end and incident.start <= alert.last_seen


@dataclass(frozen=True)
class Quality:
    """Recall and precision at one K, overall and per scenario."""

    k: int
    recall: float
    precision: float
    per_scenario: dict[str, tuple[float, float | None, int]]  # recall, precision, incidents

    def as_dict(self) -> dict[str, Any]:
        return {
            "k": self.k,
            "recall": round(self.recall, 4),
            "precision": round(self.precision, 4),
            "per_scenario": {
                s: {
                    "recall": round(r, 4),
                    "precision": None if p is None else round(p, 4),
                    "incidents": n,
                }
                for s, (r, p, n) in sorted(self.per_scenario.items())
            },
        }


def quality_at(alerts: Sequence[ScoredAlert], incidents: Sequence[Incident], k: int) -> Quality:
    """Recall and precision among the ``k`` highest-scoring alerts."""
    top = sorted(alerts, key=lambda a: (-a.score, a.alert_id))[:k]
    found = {i.incident_id for i in incidents if any(matches(a, i) for a in top)}
    true_alerts = [a for a in top if any(matches(a, i) for i in incidents)]
    recall = len(found) / len(incidents) if incidents else 1.0
    precision = len(true_alerts) / len(top) if top else 0.0
    per: dict[str, tuple[float, float | None, int]] = {}
    for scenario in sorted({i.scenario for i in incidents}):
        mine = [i for i in incidents if i.scenario == scenario]
        r = sum(i.incident_id in found for i in mine) / len(mine)
        labelled = [a for a in top if a.scenarios and a.scenarios[0] == scenario]
        p = (
            sum(any(matches(a, i) for i in incidents) for a in labelled) / len(labelled)
            if labelled
            else None
        )
        per[scenario] = (r, p, len(mine))
    return Quality(k=k, recall=recall, precision=precision, per_scenario=per)


def evaluate(
    alerts: Sequence[ScoredAlert], incidents: Sequence[Incident], k: int | None = None
) -> list[Quality]:
    """Quality at K = number of incidents and twice that (or at the K given)."""
    ks = [k] if k else [len(incidents), 2 * len(incidents)]
    return [quality_at(alerts, incidents, kk) for kk in ks]

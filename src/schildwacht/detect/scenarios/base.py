"""What a scenario is: a small, self-describing unit that can be read and tested alone.

Every scenario carries its code and version, its title and description in Dutch and English,
a triage guide (how to investigate, known false positives, how to respond), its parameters
with defaults, an Ibis expression that finds candidate evidence, and a function that turns
one candidate row into points and reasons in plain Dutch and English.

The expression returns at least these columns: ``employee_id``, ``subject_bsn`` (NULL for
volume findings), ``first_seen``, ``last_seen`` and ``event_keys`` (``source:event_id``);
any further columns are details the ``assess`` function reads.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import ibis.expr.types as ir

from schildwacht.detect.evidence import Evidence
from schildwacht.detect.model import Reason


@dataclass(frozen=True)
class TriageGuide:
    """What an investigator does with an alert of this scenario (in Dutch, the users' language)."""

    investigate: tuple[str, ...]
    false_positives: tuple[str, ...]
    response: tuple[str, ...]


@dataclass(frozen=True)
class Assessment:
    """A candidate judged: how many points it is worth and why."""

    points: float
    reasons: tuple[Reason, ...]


Params = Mapping[str, Any]


@dataclass(frozen=True)
class Scenario:
    """One misuse scenario of DETECTION.md."""

    code: str
    version: str
    title_nl: str
    title_en: str
    description_nl: str
    description_en: str
    triage: TriageGuide
    expression: Callable[[Evidence, Params], ir.Table]
    assess: Callable[[dict[str, Any], Params], Assessment | None]
    params: dict[str, Any] = field(default_factory=dict)

    def settings(self, evidence: Evidence) -> dict[str, Any]:
        """Parameters with the municipality's overrides from ``[scenarios.<code>]``."""
        overrides = evidence.param(f"scenarios.{self.code}", {}) or {}
        assert isinstance(overrides, dict)
        return {**self.params, **overrides}


def plural(n: int, one: str, many: str) -> str:
    """``1 keer`` / ``4 keer``: a count with the right noun."""
    return f"{n} {one if n == 1 else many}"

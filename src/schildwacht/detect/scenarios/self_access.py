"""``self``: an employee opens their own record."""

from __future__ import annotations

from typing import Any

import ibis.expr.types as ir

from schildwacht.detect.evidence import Evidence
from schildwacht.detect.model import Reason
from schildwacht.detect.scenarios._common import (
    looks,
    modifiers,
    pair_finding,
    times_en,
    times_nl,
)
from schildwacht.detect.scenarios.base import Assessment, Params, Scenario, TriageGuide


def expression(ev: Evidence, params: Params) -> ir.Table:
    p = ev.people.filter(ev.people.is_self)
    return pair_finding(ev, p, all_events=True)


def assess(row: dict[str, Any], params: Params) -> Assessment | None:
    n = looks(row, all_events=True)
    points = float(params["points"]) * (1.0 if row["n_unexplained"] else 0.5)
    mod, extra = modifiers(row, "self")
    main = Reason(
        "self",
        "own_record",
        f"bekeek {times_nl(n)} het eigen dossier",
        f"viewed own record {times_en(n)}",
        points * mod,
        {"looks": n},
    )
    return Assessment(points * mod, (main, *extra))


SCENARIO = Scenario(
    code="self",
    version="1.0",
    title_nl="Eigen dossier",
    title_en="Own record",
    description_nl=(
        "De medewerker raadpleegt de eigen persoonsgegevens (BSN van de medewerker gelijk aan "
        "dat van de betrokkene). Ook als het de eigen zaak is, hoort een collega die te "
        "behandelen."
    ),
    description_en=(
        "The employee accesses their own personal data (the employee's BSN equals the "
        "subject's). Even for the employee's own case a colleague should handle it."
    ),
    triage=TriageGuide(
        investigate=(
            "Vraag wat de aanleiding was (eigen aanvraag, nieuwsgierigheid, wijziging).",
            "Controleer of er gegevens zijn gewijzigd.",
        ),
        false_positives=(
            "HR-medewerkers die selfservice gebruiken; meestal toch in strijd met het beleid.",
        ),
        response=("Wijs op het beleid; herstel gewijzigde gegevens via de normale weg.",),
    ),
    expression=expression,
    assess=assess,
    params={"points": 55.0},
)

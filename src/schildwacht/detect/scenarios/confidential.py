"""``confidential``: an employee opens the record of a person with *geheimhouding*."""

from __future__ import annotations

from typing import Any

import ibis.expr.types as ir

from schildwacht.detect.evidence import Evidence
from schildwacht.detect.model import Reason
from schildwacht.detect.scenarios._common import (
    looks,
    modifiers,
    pair_finding,
    rarity,
    repeat_factor,
    times_en,
    times_nl,
)
from schildwacht.detect.scenarios.base import Assessment, Params, Scenario, TriageGuide


def expression(ev: Evidence, params: Params) -> ir.Table:
    p = ev.people.filter(ev.people.c_confidential & (ev.people.n_unexplained > 0))
    return pair_finding(ev, p.filter(~p.is_self))


def assess(row: dict[str, Any], params: Params) -> Assessment | None:
    n = looks(row)
    points = float(params["points"]) * rarity(row, float(params["rate_weight"])) * repeat_factor(n)
    mod, extra = modifiers(row, "confidential")
    main = Reason(
        "confidential",
        "geheimhouding",
        f"bekeek {times_nl(n)} het dossier van iemand met geheimhouding van "
        "persoonsgegevens; geen zaak of afspraak verklaart dit",
        f"viewed the record of a person with a confidentiality marker {times_en(n)}; "
        "no case or appointment explains it",
        points * mod,
        {"looks": n},
    )
    return Assessment(points * mod, (main, *extra))


SCENARIO = Scenario(
    code="confidential",
    version="1.0",
    title_nl="Geheimhouding persoonsgegevens",
    title_en="Confidentiality marker",
    description_nl=(
        "De medewerker raadpleegt zonder werkreden een persoon bij wie in de BRP "
        "geheimhouding van persoonsgegevens is vastgelegd: vaak mensen die zich moeten "
        "afschermen (stalking, huiselijk geweld, bedreiging)."
    ),
    description_en=(
        "The employee accesses, without a work reason, a person with a confidentiality "
        "marker in the BRP: often people who must shield themselves (stalking, domestic "
        "violence, threats)."
    ),
    triage=TriageGuide(
        investigate=(
            "Zoek het verzoek of de zaak van de persoon zelf.",
            "Ga na of het adres is ingezien of geëxporteerd.",
        ),
        false_positives=("Burgerzaken die het eigen verzoek van de persoon verwerkt.",),
        response=("Behandel met voorrang; het adres van deze persoon is mogelijk in gevaar.",),
    ),
    expression=expression,
    assess=assess,
    params={"points": 40.0, "rate_weight": 10.0},
)

"""``neighbour``: an employee opens the record of someone in the same building or street."""

from __future__ import annotations

import re
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
    p = ev.people
    p = p.filter(p.same_postcode & ~p.same_address & ~p.is_self & p.relation.isnull())
    p = p.filter(p.n_unexplained > 0)
    return pair_finding(ev, p, "s_house", "c_house")


def _building(house: str | None) -> str:
    match = re.match(r"\d+", house or "")
    return match.group(0) if match else ""


def assess(row: dict[str, Any], params: Params) -> Assessment | None:
    n = looks(row)
    same_building = _building(row["s_house"]) == _building(row["c_house"]) != ""
    points = float(params["building_points" if same_building else "street_points"])
    points *= rarity(row, float(params["rate_weight"])) * repeat_factor(n)
    if row["colleagues"]:
        points *= 0.5  # the team works with this person too: likely address-based work
    mod, extra = modifiers(row, "neighbour")
    where_nl = (
        "een buur in hetzelfde gebouw" if same_building else "een buurtbewoner (zelfde postcode)"
    )
    where_en = (
        "a neighbour in the same building" if same_building else "a neighbour (same postcode)"
    )
    main = Reason(
        "neighbour",
        "same_building" if same_building else "same_postcode",
        f"bekeek {times_nl(n)} het dossier van {where_nl}; geen zaak of afspraak verklaart dit",
        f"viewed the record of {where_en} {times_en(n)}; no case or appointment explains it",
        points * mod,
        {"looks": n},
    )
    return Assessment(points * mod, (main, *extra))


SCENARIO = Scenario(
    code="neighbour",
    version="1.0",
    title_nl="Buren",
    title_en="Neighbour",
    description_nl=(
        "De medewerker raadpleegt zonder werkreden een inwoner met dezelfde postcode als het "
        "eigen woonadres; zwaarder als het hetzelfde gebouw is. Huisgenoten vallen onder "
        "familie."
    ),
    description_en=(
        "The employee accesses, without a work reason, a resident with the same postcode as "
        "the employee's home; heavier in the same building. Housemates count as family."
    ),
    triage=TriageGuide(
        investigate=(
            "Ga na of er een adresgebonden taak was (vergunning, handhaving, afval).",
            "Vraag de medewerker naar de aanleiding.",
        ),
        false_positives=(
            "Kleine gemeenten waar medewerkers tussen hun klanten wonen.",
            "Adresgebonden werk: vergunningen, handhaving, afvalinzameling.",
        ),
        response=("Bij burenruzie of stalking: behandel als datalek en informeer de buur.",),
    ),
    expression=expression,
    assess=assess,
    params={"building_points": 45.0, "street_points": 32.0, "rate_weight": 3.0},
)

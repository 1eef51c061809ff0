"""``family``: an employee opens the record of a partner, ex-partner, parent, child,
sibling or housemate; surname alone only as a weak, rarity-weighted fallback."""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir

from schildwacht.detect.evidence import Evidence
from schildwacht.detect.model import Reason
from schildwacht.detect.scenarios._common import (
    looks,
    modifiers,
    pair_finding,
    times_en,
    times_nl,
    work_reason_factor,
)
from schildwacht.detect.scenarios.base import Assessment, Params, Scenario, TriageGuide

NAMES = {
    "ex_partner": ("ex-partner", "ex-partner", 95),
    "partner": ("partner", "partner", 75),
    "child": ("kind", "child", 70),
    "parent": ("ouder", "parent", 70),
    "sibling": ("broer of zus", "sibling", 60),
    "household": ("huisgenoot (zelfde adres)", "housemate (same address)", 60),
    "surname": ("naamgenoot (zelfde achternaam)", "namesake (same surname)", 30),
}


def expression(ev: Evidence, params: Params) -> ir.Table:
    p = ev.people
    rare = p.name_count.fill_null(0) <= int(params["surname_max_bearers"])
    surname_only = p.s_bsn.isnull() & p.same_surname & rare
    kind = ibis.cases(
        (p.relation.notnull(), p.relation),
        (p.same_address & ~p.is_self, "household"),
        (surname_only, "surname"),
    )
    p = p.mutate(kind=kind).filter(lambda t: t.kind.notnull())
    return pair_finding(ev, p, "kind", "name_count", all_events=True)


def assess(row: dict[str, Any], params: Params) -> Assessment | None:
    nl, en, points = NAMES[row["kind"]]
    if row["kind"] == "surname":
        bearers = max(int(row["name_count"] or 1), 1)
        points = points / bearers**0.5  # two people named de Jong prove nothing
    weight, why = work_reason_factor(row, "family")
    mod, extra = modifiers(row, "family")
    n = looks(row, all_events=True)
    main = Reason(
        "family", f"relation:{row['kind']}",
        f"bekeek {times_nl(n)} het dossier van een {nl}",
        f"viewed the record of a {en} {times_en(n)}", points * weight * mod,
        {"relation": row["kind"], "looks": n},
    )  # fmt: skip
    return Assessment(points * weight * mod, (main, *why, *extra))


SCENARIO = Scenario(
    code="family",
    version="1.0",
    title_nl="Familie of huisgenoot",
    title_en="Family member or housemate",
    description_nl=(
        "De medewerker raadpleegt gegevens van een (ex-)partner, ouder, kind, broer of zus "
        "volgens de BRP, of van iemand op het eigen woonadres. Een gelijke achternaam telt "
        "alleen als zwakke aanwijzing wanneer het BSN van de medewerker onbekend is, en "
        "weegt minder naarmate meer inwoners die naam dragen."
    ),
    description_en=(
        "The employee accesses the records of a (former) partner, parent, child or sibling "
        "according to the BRP, or of someone at the employee's home address. A shared "
        "surname only counts as weak evidence when the employee's BSN is unknown, and weighs "
        "less the more residents carry it."
    ),
    triage=TriageGuide(
        investigate=(
            "Controleer de familierelatie in de BRP en of die actueel is.",
            "Zoek een zaak, melding of verzoek van de persoon die de raadpleging verklaart.",
            "Bekijk of de medewerker de persoon elders in de logboeken raadpleegde.",
        ),
        false_positives=(
            "Het familielid is cliënt van het team en de zaak is (nog) niet overgedragen.",
            "Naamgenoten zonder familieband (bij een alleen-achternaam-signaal).",
        ),
        response=(
            "Bij een ex-partner of geheimhouding: behandel als ernstig, overweeg melding "
            "bij de AP en informeer de betrokkene.",
            "Wijs de zaak toe aan een collega als het familielid cliënt is.",
        ),
    ),
    expression=expression,
    assess=assess,
    params={"surname_max_bearers": 20},
)

"""``watchlist``: an employee opens the record of a public figure, politician, official or
protected person without a work reason."""

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

CATEGORY = {
    "protected": ("een beschermd persoon", "a protected person"),
    "politician": ("een politicus", "a politician"),
    "official": (
        "een bestuurder (burgemeester, wethouder of raadslid)",
        "an official (mayor, alderman or councillor)",
    ),
    "public_figure": ("een bekende Nederlander", "a public figure"),
    "other": ("een persoon op de bewakingslijst", "a person on the watchlist"),
}


def expression(ev: Evidence, params: Params) -> ir.Table:
    p = ev.people.filter(ev.people.w_category.notnull() & (ev.people.n_unexplained > 0))
    p = p.filter(~p.is_self & p.relation.isnull())
    p = p.mutate(others=p.snoopers.fill_null(1) - 1)
    return pair_finding(ev, p, "w_category", "others")


def assess(row: dict[str, Any], params: Params) -> Assessment | None:
    n = looks(row)
    category = str(row["w_category"])
    points = float(params.get(f"points_{category}", params["points_other"]))
    points *= rarity(row, float(params["rate_weight"])) * repeat_factor(n)
    crowd = []
    if int(row["others"]) >= int(params["crowd_min_others"]):
        points *= float(params["crowd_factor"])  # many staff opening one VIP: HagaZiekenhuis
        crowd.append(
            Reason(
                "watchlist",
                "crowd",
                f"ook {row['others']} andere medewerkers raadpleegden deze persoon "
                "zonder werkreden",
                f"{row['others']} other employees also accessed this person without a work reason",
                0.0,
                {"others": row["others"]},
            )
        )
    mod, extra = modifiers(row, "watchlist")
    nl, en = CATEGORY.get(category, CATEGORY["other"])
    main = Reason(
        "watchlist",
        f"category:{category}",
        f"bekeek {times_nl(n)} het dossier van {nl}; geen zaak of afspraak verklaart dit",
        f"viewed the record of {en} {times_en(n)}; no case or appointment explains it",
        points * mod,
        {"category": category, "looks": n},
    )
    return Assessment(points * mod, (main, *crowd, *extra))


SCENARIO = Scenario(
    code="watchlist",
    version="1.0",
    title_nl="Bekende of beschermde persoon",
    title_en="Public figure or protected person",
    description_nl=(
        "De medewerker raadpleegt zonder werkreden een persoon op de bewakingslijst: "
        "bekende Nederlanders, politici, bestuurders en beschermde personen. De categorie "
        "bepaalt het gewicht; beschermde personen wegen het zwaarst."
    ),
    description_en=(
        "The employee accesses, without a work reason, a person on the watchlist: public "
        "figures, politicians, officials and protected persons. The category sets the "
        "weight; protected persons weigh most."
    ),
    triage=TriageGuide(
        investigate=(
            "Zoek een balie-afspraak, verzoek of raadsstuk dat de raadpleging verklaart.",
            "Kijk of meer medewerkers dezelfde persoon raadpleegden (nieuwsgierigheid na nieuws).",
        ),
        false_positives=(
            "Baliemedewerkers die de persoon hielpen zonder vastgelegde afspraak.",
            "Raadsgriffie en bestuursondersteuning.",
        ),
        response=(
            "Bij een beschermde persoon direct opschalen naar de CISO en de "
            "veiligheidscoördinator.",
        ),
    ),
    expression=expression,
    assess=assess,
    params={
        "points_protected": 65.0,
        "points_politician": 50.0,
        "points_official": 50.0,
        "points_public_figure": 50.0,
        "points_other": 35.0,
        "rate_weight": 10.0,
        "crowd_min_others": 2,
        "crowd_factor": 1.5,
    },
)

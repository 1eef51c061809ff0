"""``unexplained_access``: access to a citizen that no work reason explains.

Most unexplained accesses are legitimate (cases registered late, walk-ins, covering
colleagues), so this scenario weighs each one against its context: how unusual unexplained
work is in the employee's team, whether anyone else in the team ever touches this citizen
(an access outside the working community is rarer: CADS, DETECTION.md §3.4), and how often
it happened. On its own it ranks low; combined with other evidence it adds up.
"""

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
    times_en,
    times_nl,
)
from schildwacht.detect.scenarios.base import Assessment, Params, Scenario, TriageGuide


def expression(ev: Evidence, params: Params) -> ir.Table:
    p = ev.people
    return pair_finding(ev, p.filter((p.n_unexplained > 0) & ~p.is_self))


def assess(row: dict[str, Any], params: Params) -> Assessment | None:
    n = looks(row)
    rate = float(row["team_rate"] or 0.0)
    outsider = not row["colleagues"]
    points = float(params["points"]) * min(n, int(params["max_visits"]))
    points *= rarity(row, float(params["rate_weight"]))
    if row["u_offhours"]:
        points *= float(params["off_hours_factor"])  # legitimate unexplained work is daytime work
    if row["n_weak"] >= row["n_unexplained"]:
        points *= 0.6  # the department does handle this kind of case
    points *= float(params["outsider_factor"]) if outsider else float(params["insider_factor"])
    mod, extra = modifiers(row, "unexplained_access")
    why = []
    if outsider:
        why.append(
            Reason(
                "unexplained_access",
                "outside_community",
                "niemand anders in het team raadpleegde deze persoon",
                "nobody else in the team accessed this person",
                0.0,
            )
        )
    main = Reason(
        "unexplained_access",
        "no_work_reason",
        f"bekeek {times_nl(n)} het dossier van een inwoner; geen zaak of afspraak verklaart dit",
        f"viewed a resident's record {times_en(n)}; no case or appointment explains it",
        points * mod,
        {"looks": n, "team_rate": round(rate, 4)},
    )
    return Assessment(points * mod, (main, *why, *extra))


SCENARIO = Scenario(
    code="unexplained_access",
    version="1.0",
    title_nl="Raadpleging zonder werkreden",
    title_en="Access without a work reason",
    description_nl=(
        "De medewerker raadpleegt een inwoner zonder dat een zaak, afspraak of teamzaak dit "
        "verklaart. Weegt zwaarder naarmate onverklaard werk in het team zeldzamer is, "
        "niemand anders in het team de persoon raadpleegt en het vaker gebeurt."
    ),
    description_en=(
        "The employee accesses a resident while no case, appointment or team case explains "
        "it. Weighs more the rarer unexplained work is in the team, when nobody else in the "
        "team touches the person, and the more often it happens."
    ),
    triage=TriageGuide(
        investigate=(
            "Vraag de medewerker of diens leidinggevende naar de werkreden.",
            "Zoek een later geregistreerde zaak of een balie-inloop zonder afspraak.",
        ),
        false_positives=(
            "Kwaliteitscontroles en steekproeven.",
            "Waarneming voor een collega tijdens vakantie.",
            "Inloop aan de balie zonder afspraak.",
            "Zaken die later zijn geregistreerd.",
        ),
        response=(
            "Laat ontbrekende zaken alsnog registreren; stuur bij herhaling een "
            "neutrale waarschuwing (niet bij vermoeden van criminele opdracht).",
        ),
    ),
    expression=expression,
    assess=assess,
    params={
        "points": 9.0,
        "max_visits": 4,
        "rate_weight": 20.0,
        "outsider_factor": 1.3,
        "insider_factor": 0.6,
        "off_hours_factor": 1.8,
    },
)

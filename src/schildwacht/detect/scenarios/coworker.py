"""``coworker``: an employee opens a colleague's record."""

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
    p = ev.people
    hits = p.filter(p.cw_id.notnull() & ~p.is_self & p.relation.isnull() & ~p.same_address)
    # departments whose work touches colleagues routinely (HR, payroll, municipal taxes)
    # are judged against that routine: the share of their people who open colleagues
    per_dept = ev.people.group_by("department").agg(
        people=ev.people.employee_id.nunique(),
        touching=ev.people.employee_id.nunique(where=ev.people.cw_id.notnull()),
    )
    hits = hits.left_join(per_dept, "department")
    hits = hits.filter(hits.n_unexplained > 0).mutate(
        routine=(hits.touching / hits.people).fill_null(0.0)
    )
    return pair_finding(ev, hits, "routine", "cw_department")


def assess(row: dict[str, Any], params: Params) -> Assessment | None:
    n = looks(row)
    points = float(params["points"]) * rarity(row, float(params["rate_weight"])) * repeat_factor(n)
    if float(row["routine"]) >= float(params["routine_share"]):
        points *= 0.4
    mod, extra = modifiers(row, "coworker")
    same = row["cw_department"] == row["department"]
    who_nl = "een directe collega" if same else "een collega"
    who_en = "a close colleague" if same else "a colleague"
    main = Reason(
        "coworker",
        "colleague",
        f"bekeek {times_nl(n)} het dossier van {who_nl}; geen zaak of afspraak verklaart dit",
        f"viewed the record of {who_en} {times_en(n)}; no case or appointment explains it",
        points * mod,
        {"looks": n},
    )
    return Assessment(points * mod, (main, *extra))


SCENARIO = Scenario(
    code="coworker",
    version="1.0",
    title_nl="Collega",
    title_en="Colleague",
    description_nl=(
        "De medewerker raadpleegt zonder werkreden de gegevens van een andere medewerker "
        "(BSN in de personeelsgegevens). Afdelingen waarvoor dat routine is (HR, salaris, "
        "belastingen) wegen minder."
    ),
    description_en=(
        "The employee accesses, without a work reason, the data of another employee (BSN in "
        "the staff records). Departments for which this is routine (HR, payroll, taxes) weigh "
        "less."
    ),
    triage=TriageGuide(
        investigate=(
            "Ga na of er een HR-, salaris- of belastingtaak was.",
            "Vraag naar de relatie tussen beide medewerkers.",
        ),
        false_positives=(
            "HR-, salaris- en belastingmedewerkers die collega's als inwoner behandelen.",
        ),
        response=(
            "Informeer de integriteitscoördinator; bij een conflict tussen collega's "
            "zorgvuldig en vertrouwelijk handelen.",
        ),
    ),
    expression=expression,
    assess=assess,
    params={"points": 60.0, "routine_share": 0.2, "rate_weight": 10.0},
)

"""``serial``: low-and-slow snooping on the same person, again and again over weeks."""

from __future__ import annotations

from typing import Any

import ibis.expr.types as ir

from schildwacht.detect.evidence import Evidence
from schildwacht.detect.model import Reason
from schildwacht.detect.scenarios._common import modifiers, pair_finding
from schildwacht.detect.scenarios.base import Assessment, Params, Scenario, TriageGuide


def expression(ev: Evidence, params: Params) -> ir.Table:
    p = ev.people
    span_days = p.u_last.date().delta(p.u_first.date(), unit="day")
    p = p.mutate(span_days=span_days)
    p = p.filter(
        (p.u_days >= int(params["min_days"])) & (p.span_days >= int(params["min_span_days"]))
    )
    return pair_finding(ev, p.filter(~p.is_self), "span_days")


def assess(row: dict[str, Any], params: Params) -> Assessment | None:
    days, span = int(row["u_days"]), int(row["span_days"])
    points = float(params["points"]) + float(params["points_per_extra_day"]) * (
        days - int(params["min_days"])
    )
    points = min(points, 90.0)
    mod, extra = modifiers(row, "serial")
    weeks = max(1, round(span / 7))
    main = Reason(
        "serial",
        "repeated",
        f"bekeek dezelfde persoon op {days} verschillende dagen verspreid over "
        f"{weeks} weken; geen zaak of afspraak verklaart dit",
        f"viewed the same person on {days} different days over {weeks} weeks; no "
        "case or appointment explains it",
        points * mod,
        {"days": days, "span_days": span},
    )
    return Assessment(points * mod, (main, *extra))


SCENARIO = Scenario(
    code="serial",
    version="1.0",
    title_nl="Herhaald volgen van één persoon",
    title_en="Serial snooping",
    description_nl=(
        "De medewerker raadpleegt zonder werkreden dezelfde persoon op meerdere dagen, "
        "verspreid over weken. Elke raadpleging lijkt onschuldig; samen vormen ze een patroon."
    ),
    description_en=(
        "The employee accesses the same person without a work reason on several days spread "
        "over weeks. Each look seems harmless; together they form a pattern."
    ),
    triage=TriageGuide(
        investigate=(
            "Leg de raadplegingen op een tijdlijn naast gebeurtenissen in het leven "
            "van de persoon.",
            "Zoek een langdurige hulp- of schuldrelatie buiten het zaaksysteem.",
        ),
        false_positives=(
            "Langlopende zorg- of schuldhulpverlening die niet als zaak is vastgelegd.",
        ),
        response=("Vraag de medewerker om uitleg; registreer ontbrekende zaken.",),
    ),
    expression=expression,
    assess=assess,
    params={"min_days": 3, "min_span_days": 10, "points": 45.0, "points_per_extra_day": 8.0},
)

"""``leaver``: an account used after its owner left, or a dormant account waking up."""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir

from schildwacht.detect.evidence import Evidence, in_time_order
from schildwacht.detect.model import Reason
from schildwacht.detect.scenarios.base import Assessment, Params, Scenario, TriageGuide


def expression(ev: Evidence, params: Params) -> ir.Table:
    a = ev.acc.join(ev.staff, ev.acc.employee_id == ev.staff.s_id)
    after = a.filter(a.s_until.notnull() & (a.day > a.s_until)).mutate(kind=ibis.literal("left"))
    days = ev.acc.group_by(["employee_id", "day"]).agg()
    gap = days.day.delta(
        days.day.lag().over(ibis.window(group_by="employee_id", order_by="day")), unit="day"
    )
    wake = days.mutate(gap=gap).filter(lambda t: t.gap >= int(params["dormant_days"]))
    woke = ev.acc.join(
        wake,
        (ev.acc.employee_id == wake.employee_id)
        & (ev.acc.day >= wake.day)
        & (ev.acc.day < wake.day + ibis.interval(days=7)),
    )
    woke = woke.mutate(kind=ibis.literal("dormant"), s_until=ibis.null("date"))
    cols = ["employee_id", "occurred_at", "event_key", "subject_bsn", "kind", "s_until"]
    both = ibis.union(after.select(*cols), woke.select(*cols))
    return both.group_by(["employee_id", "kind"]).agg(
        subject_bsn=ibis.null("string"),
        first_seen=both.occurred_at.min(), last_seen=both.occurred_at.max(),
        event_keys=in_time_order(both.occurred_at, both.event_key, 200),
        n_events=both.count(), n_subjects=both.subject_bsn.nunique(),
        subjects=both.subject_bsn.collect(distinct=True).sort(),
        left_on=both.s_until.max(),
    )  # fmt: skip


def assess(row: dict[str, Any], params: Params) -> Assessment | None:
    n, people = int(row["n_events"]), int(row["n_subjects"])
    if row["kind"] == "left":
        points = float(params["points_after_leaving"])
        main = Reason(
            "leaver",
            "after_leaving",
            f"account gebruikt na vertrek op {row['left_on']}: {n} handelingen, {people} personen",
            f"account used after its owner left on {row['left_on']}: {n} actions, {people} people",
            points,
            {"events": n, "people": people},
        )
    else:
        points = float(params["points_dormant"])
        main = Reason(
            "leaver",
            "dormant",
            f"slapend account werd weer actief: {n} handelingen, {people} personen",
            f"dormant account became active again: {n} actions, {people} people",
            points,
            {"events": n, "people": people},
        )
    return Assessment(points, (main,))


SCENARIO = Scenario(
    code="leaver",
    version="1.0",
    title_nl="Account na vertrek of slapend account",
    title_en="Leaver or dormant account",
    description_nl=(
        "Het account wordt gebruikt na de laatste werkdag van de eigenaar, of wordt na lange "
        "stilte weer actief."
    ),
    description_en=(
        "The account is used after its owner's last working day, or becomes active again "
        "after a long silence."
    ),
    triage=TriageGuide(
        investigate=(
            "Controleer de uitdienstdatum bij HR en wie het account gebruikte "
            "(werkplek, tijdstip).",
        ),
        false_positives=(
            "Opruimwerk door ICT met het account van een vertrokken collega "
            "(zelf ook een beleidsovertreding).",
        ),
        response=("Blokkeer het account direct; trek rechten in en onderzoek het gebruik.",),
    ),
    expression=expression,
    assess=assess,
    params={"dormant_days": 30, "points_after_leaving": 85.0, "points_dormant": 25.0},
)

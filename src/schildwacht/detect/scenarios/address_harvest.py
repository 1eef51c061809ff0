"""``address_harvest``: many unrelated people looked up without cases in a short period,
the pattern of an employee passing addresses to criminals (the Amsterdam case)."""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir

from schildwacht.detect.evidence import Evidence, in_time_order
from schildwacht.detect.model import Reason
from schildwacht.detect.scenarios._common import team_baseline
from schildwacht.detect.scenarios.base import Assessment, Params, Scenario, TriageGuide


def expression(ev: Evidence, params: Params) -> ir.Table:
    window = int(params["window_days"]) - 1
    a = ev.acc.filter(ev.acc.subject_bsn.notnull() & ~ev.acc.has_reason & ~ev.acc.service_account)
    daily = a.group_by(["employee_id", "day"]).agg(team=a.team.arbitrary())
    ends = daily.view()
    spans = ends.join(
        a,
        (a.employee_id == ends.employee_id)
        & (a.day <= ends.day)
        & (a.day >= ends.day - ibis.interval(days=window)),
    )
    per = spans.group_by([ends.employee_id, ends.day]).agg(
        team=ends.team.arbitrary(),
        subjects=a.subject_bsn.nunique(),
        addresses=a.subject_bsn.nunique(where=a.address_data),
    )
    best = per.group_by("employee_id").agg(
        day=per.day.argmax(per.subjects * 1_000_000 - per.day.epoch_days()),  # ties: earliest
        subjects=per.subjects.max(),
        team=per.team.arbitrary(),
    )
    best = best.join(team_baseline(ev, best, "subjects"), "team")
    limit = ibis.greatest(
        ibis.literal(float(params["min_subjects"])), best.team_median * float(params["peer_factor"])
    )
    flagged = best.filter(best.subjects >= limit)
    hits = a.join(
        flagged,
        (a.employee_id == flagged.employee_id)
        & (a.day <= flagged.day)
        & (a.day >= flagged.day - ibis.interval(days=window)),
    )
    return hits.group_by(a.employee_id).agg(
        subject_bsn=ibis.null("string"),
        first_seen=a.occurred_at.min(), last_seen=a.occurred_at.max(),
        event_keys=in_time_order(a.occurred_at, a.event_key, 200),
        subjects=a.subject_bsn.collect(distinct=True).sort(),
        n_subjects=a.subject_bsn.nunique(), team_median=flagged.team_median.max(),
        n_addresses=a.subject_bsn.nunique(where=a.address_data),
        n_offhours=((a.hour >= 19) | (a.hour < 6) | (a.weekday >= 5)).sum(),
    )  # fmt: skip


def assess(row: dict[str, Any], params: Params) -> Assessment | None:
    n = int(row["n_subjects"])
    points = float(params["points"]) + min(30.0, n - float(params["min_subjects"]))
    days = int(params["window_days"])
    typical = float(row["team_median"] or 0)
    main = Reason(
        "address_harvest",
        "many_unrelated",
        f"raadpleegde binnen {days} dagen {n} verschillende inwoners zonder zaak of "
        f"afspraak (in het team is {typical:.0f} gebruikelijk)",
        f"accessed {n} different residents within {days} days without a case or "
        f"appointment (typical in the team: {typical:.0f})",
        points,
        {"subjects": n, "team_median": typical, "addresses": row["n_addresses"]},
    )
    extra = []
    if row["n_offhours"]:
        extra.append(
            Reason(
                "address_harvest",
                "off_hours",
                f"{row['n_offhours']} raadplegingen buiten kantoortijd",
                f"{row['n_offhours']} accesses outside office hours",
                0.0,
            )
        )
    return Assessment(points, (main, *extra))


SCENARIO = Scenario(
    code="address_harvest",
    version="1.0",
    title_nl="Adressen verzamelen",
    title_en="Address harvesting",
    description_nl=(
        "De medewerker raadpleegt in korte tijd veel verschillende, onderling niet verbonden "
        "inwoners zonder zaak of afspraak, ver boven wat in het eigen team gebruikelijk is: "
        "het patroon van een medewerker die adressen doorspeelt aan criminelen."
    ),
    description_en=(
        "The employee accesses, within a short period, many different unrelated residents "
        "without a case or appointment, far above what is usual in the team: the pattern of "
        "an employee passing addresses to criminals."
    ),
    triage=TriageGuide(
        investigate=(
            "Leg de geraadpleegde adressen naast meldingen van politie (explosies, bedreigingen).",
            "Bekijk werkplek en tijdstippen; vraag de leidinggevende discreet naar de taak.",
        ),
        false_positives=(
            "Adresonderzoek- en fraudeteams.",
            "Correcties van postretouren en mailings.",
        ),
        response=(
            "Stuur GEEN waarschuwing aan de medewerker (tipt een verdachte). Schakel de "
            "CISO en integriteit in; overweeg aangifte en de Rijksrecherche.",
        ),
    ),
    expression=expression,
    assess=assess,
    params={"window_days": 28, "min_subjects": 10, "peer_factor": 2.0, "points": 70.0},
)

"""``bulk``: volume harvesting or mass export, far above the employee's own normal and the
peer group's; service accounts are judged against their own normal only."""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir

from schildwacht.detect.evidence import Evidence, in_time_order
from schildwacht.detect.model import Reason
from schildwacht.detect.scenarios.base import Assessment, Params, Scenario, TriageGuide


def expression(ev: Evidence, params: Params) -> ir.Table:
    a = ev.acc
    hourly = a.group_by(["employee_id", "day", "hour"]).agg(
        team=a.team.arbitrary(), service=a.service_account.arbitrary(),
        touched=a.subject_bsn.nunique(),
        exports=a.action.isin(["export", "print"]).sum(),
        first_seen=a.occurred_at.min(), last_seen=a.occurred_at.max(),
    )  # fmt: skip
    # an interpolated quantile of counts is a multiple of 0.05, but DuckDB and Spark reach it
    # by differently ordered float arithmetic (last-bit differences): round to that grid
    own = hourly.group_by("employee_id").agg(
        own_median=hourly.touched.median(), own_q95=hourly.touched.quantile(0.95).round(2)
    )
    peers = (
        hourly.filter(~hourly.service)
        .group_by("team")
        .agg(team_q95=hourly.touched.quantile(0.95).round(2))
    )
    h = hourly.join(own, "employee_id").left_join(peers, "team")
    person_limit = ibis.greatest(
        ibis.literal(float(params["min_per_hour"])),
        h.own_q95 * float(params["own_factor"]),
        h.team_q95.fill_null(0) * float(params["peer_factor"]),
    )
    service_limit = ibis.greatest(
        ibis.literal(float(params["min_per_hour_service"])),
        h.own_q95 * float(params["service_factor"]),
    )
    limit = ibis.cases((h.service, service_limit), else_=person_limit)
    hit = (h.touched >= limit) | ((h.exports >= float(params["min_exports"])) & ~h.service)
    peaks = h.filter(hit).mutate(subject_bsn=ibis.null("string"), hour_limit=limit)
    # one finding per employee and day, with the events of its busiest hour (collected for
    # these few peaks only, not for every hour of every employee)
    days = peaks.group_by(["employee_id", "day"]).agg(
        subject_bsn=peaks.subject_bsn.arbitrary(), service=peaks.service.arbitrary(),
        touched=peaks.touched.max(), exports=peaks.exports.sum(), hour_limit=peaks.hour_limit.min(),
        own_median=peaks.own_median.max(), first_seen=peaks.first_seen.min(),
        last_seen=peaks.last_seen.max(),
        peak_hour=peaks.hour.argmax(peaks.touched * 100 - peaks.hour),
        hours=peaks.count(),
    )  # fmt: skip
    e = a.select(k_emp=a.employee_id, k_day=a.day, k_hour=a.hour, k=a.event_key, at=a.occurred_at)
    hits = e.join(
        days, (e.k_emp == days.employee_id) & (e.k_day == days.day) & (e.k_hour == days.peak_hour)
    )
    keys = hits.group_by(["k_emp", "k_day"]).agg(event_keys=in_time_order(hits.at, hits.k, 200))
    out = days.left_join(keys, (days.employee_id == keys.k_emp) & (days.day == keys.k_day))
    return out.drop("k_emp", "k_day")


def assess(row: dict[str, Any], params: Params) -> Assessment | None:
    n, exports, limit = int(row["touched"]), int(row["exports"]), float(row["hour_limit"])
    ratio = n / max(limit, 1.0)
    points = float(params["points"]) * min(2.0, max(1.0, ratio))
    day = row["first_seen"].date().isoformat()
    who = (
        "de eigen normaal van dit systeemaccount"
        if row["service"]
        else ("de eigen normaal en die van het team")
    )
    main = Reason(
        "bulk",
        "volume",
        f"raakte op {day} binnen een uur {n} personen aan, ver boven {who}"
        + (f", met {exports} exports of afdrukken" if exports else ""),
        f"touched {n} people within an hour on {day}, far above "
        + (
            "this service account's own normal"
            if row["service"]
            else "the employee's own normal and the team's"
        )
        + (f", with {exports} exports or prints" if exports else ""),
        points,
        {"subjects": n, "exports": exports, "median": row["own_median"]},
    )
    return Assessment(points, (main,))


SCENARIO = Scenario(
    code="bulk",
    version="1.0",
    title_nl="Massale raadpleging of export",
    title_en="Bulk access or export",
    description_nl=(
        "Binnen een uur raakt een account veel meer personen aan of exporteert of print "
        "veel meer dan de eigen normaal en die van het team. Systeemaccounts worden alleen "
        "met hun eigen normaal vergeleken."
    ),
    description_en=(
        "Within one hour an account touches far more people, or exports or prints far more, "
        "than its own normal and its team's. Service accounts are compared with their own normal "
        "only."
    ),
    triage=TriageGuide(
        investigate=(
            "Vraag welke taak of batch deze omvang verklaart (verkiezingen, "
            "jaarafsluiting, mailing).",
            "Ga na waar exports zijn opgeslagen.",
        ),
        false_positives=(
            "Batchtaken en koppelingen (systeemaccounts).",
            "Mailings, "
            "jaarafsluiting, verkiezingscontroles: onderdruk die met een reden "
            "en einddatum.",
        ),
        response=("Stel veilig waar exportbestanden staan; trek rechten in bij misbruik.",),
    ),
    expression=expression,
    assess=assess,
    params={
        "min_per_hour": 40,
        "own_factor": 3.0,
        "peer_factor": 2.0,
        "min_exports": 20,
        "min_per_hour_service": 300,
        "service_factor": 3.0,
        "points": 60.0,
    },
)

"""``name_browsing``: searching people by name and then opening records without a case."""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir

from schildwacht.detect.evidence import Evidence
from schildwacht.detect.model import Reason
from schildwacht.detect.scenarios._common import team_baseline
from schildwacht.detect.scenarios.base import Assessment, Params, Scenario, TriageGuide

NAME_LIKE = r"[A-Za-zÀ-ÿ]{2,}"
HAS_DIGIT = r"\d"
SURNAME_PREFIXES = (
    "van", "de", "der", "den", "het", "ter", "ten", "te", "in", "'t", "op", "la", "le",
    "du", "da", "von", "zu", "el", "al",
)  # fmt: skip
"""Voorvoegsels: a search that starts with one is a surname (``van der Horst``); one that
starts with another word starts with a given name (``Esmee Th``, ``lizz van der l``)."""
"""A search by name plus birth date (the BRP's ZoekMetGeslachtsnaamEnGeboortedatum), by
postcode and house number, by BSN, by surname, or from within a case identifies a person for
work, and so is a full given name and surname. A given name with a broken-off surname is
browsing (DETECTION.md: first names, partial names), even when the application logs a case:
what counts is that the records opened afterwards have no work reason."""


def expression(ev: Evidence, params: Params) -> ir.Table:
    a = ev.acc.filter(~ev.acc.service_account)
    terms = a.search_terms.fill_null("")
    words = terms.strip().lower().re_split(r"\s+")
    given_name_first = (words.length() >= 2) & ~words[0].isin(list(SURNAME_PREFIXES))
    # a surname broken off after a few letters, or typed without capitals: not someone
    # looking up the full name of a client, but someone trying names
    # (the last word by its position: Ibis compiles ``words[-1]`` to an invalid index on Spark)
    partial = (words[words.length() - 1].length() <= 3) | (terms == terms.lower())
    searches = a.filter(
        (a.action == "search")
        & terms.re_search(NAME_LIKE)
        & ~terms.re_search(HAS_DIGIT)
        & given_name_first
        & partial
    )
    searches = searches.select(
        s_emp=searches.employee_id,
        s_at=searches.occurred_at,
        s_key=searches.event_key,
        s_team=searches.team,
    )
    views = a.filter(a.subject_bsn.notnull() & ~a.has_reason & (a.action != "search"))
    minutes = int(params["follow_minutes"])
    j = searches.join(
        views,
        (views.employee_id == searches.s_emp)
        & (views.occurred_at >= searches.s_at)
        & (views.occurred_at <= searches.s_at + ibis.interval(minutes=minutes)),
    )
    per = j.group_by(j.employee_id).agg(
        team=j.s_team.arbitrary(),
        browsed=j.subject_bsn.nunique(),
        searches=j.s_key.nunique(),
        first_seen=j.s_at.min(),
        last_seen=j.occurred_at.max(),
        search_keys=j.s_key.collect(distinct=True).sort(),
        view_keys=j.event_key.collect(distinct=True).sort(),
        subjects=j.subject_bsn.collect(distinct=True).sort(),
    )
    per = per.join(team_baseline(ev, per, "browsed"), "team")
    limit = ibis.greatest(
        ibis.literal(float(params["min_views"])), per.team_median * float(params["peer_factor"])
    )
    flagged = per.filter(per.browsed >= limit)
    return flagged.mutate(
        subject_bsn=ibis.null("string"),
        event_keys=flagged.search_keys.concat(flagged.view_keys)[:200],
    )


def assess(row: dict[str, Any], params: Params) -> Assessment | None:
    n, s = int(row["browsed"]), int(row["searches"])
    points = float(params["points"]) + 4.0 * min(10, n - int(params["min_views"]))
    main = Reason(
        "name_browsing",
        "name_search_then_view",
        f"zocht {s} keer op naam en opende daarna {n} dossiers zonder zaak of afspraak",
        f"searched by name {s} times and then opened {n} records without a case or appointment",
        points,
        {"searches": s, "browsed": n},
    )
    return Assessment(points, (main,))


SCENARIO = Scenario(
    code="name_browsing",
    version="1.0",
    title_nl="Bladeren op naam",
    title_en="Browsing by name",
    description_nl=(
        "De medewerker zoekt personen op naam of een deel van een naam en opent daarna "
        "dossiers waarvoor geen zaak of afspraak bestaat, vaker dan in het team gebruikelijk "
        "is (nieuwsgierigheid, daten, kennissen)."
    ),
    description_en=(
        "The employee searches people by (part of a) name and then opens records for which "
        "no case or appointment exists, more often than usual in the team (curiosity, "
        "dating, acquaintances)."
    ),
    triage=TriageGuide(
        investigate=(
            "Bekijk de zoektermen: voornamen, bekende namen, namen van kennissen?",
            "Vergelijk met de balie-agenda van die dag.",
        ),
        false_positives=(
            "Baliemedewerkers die op naam zoeken omdat de inwoner het BSN niet weet.",
        ),
        response=("Vraag om uitleg; stuur bij geen goede reden een neutrale waarschuwing.",),
    ),
    expression=expression,
    assess=assess,
    params={"follow_minutes": 30, "min_views": 2, "peer_factor": 3.0, "points": 45.0},
)

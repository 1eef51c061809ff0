"""Shared evidence every scenario reads: explained accesses and (employee, citizen) pairs.

The citizen is the resource (DETECTION.md §1): most scenarios ask a question about one
employee and one citizen, so the pair table is computed once, materialised, and reused. It
aggregates every access of a (non-service) employee to a citizen: how often, how much of it
no work reason explains, when, at what hours, with which data, and whether the employee's
own team ever touches that citizen (the community signal of CADS/SNAD, DETECTION.md §3.4).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir
from ibis import _

from schildwacht.contract import SENSITIVE_DATA_CATEGORIES
from schildwacht.detect import execution
from schildwacht.detect.context import DetectionContext
from schildwacht.detect.explanation import accesses, explained

STRONG = ("zaak_in_log", "zaak_behandelaar", "afspraak")
WEAK = "afdeling_zaaktype"
"""A learned department link explains routine work, not why this person was opened: the
scenarios about one citizen treat such an access as having no personal work reason."""
MAX_KEYS = 50


@dataclass
class Evidence:
    """Materialised tables shared by the scenarios of one detection run."""

    ctx: DetectionContext
    acc: ir.Table  # every event with its explanation, team, department, local day and hour
    pairs: ir.Table  # one row per (employee, subject) of non-service accounts
    staff: ir.Table  # employees with their own BSN and home address, for relationship flags
    people: ir.Table  # pairs enriched with who the citizen is and what ties them

    def param(self, name: str, default: object) -> object:
        return self.ctx.param(name, default)


def in_time_order(at: ir.Column, key: ir.Column, limit: int) -> ir.ArrayValue:
    """The first ``limit`` of a group's ``key`` values in time order, ties by key.

    Sorting the collected (time, key) pairs, rather than ``collect(order_by=...)``, which
    Ibis cannot compile for Spark, gives the same list on both engines.
    """
    pairs = ibis.struct({"at": at, "key": key}).collect().sort()
    return pairs.map(lambda pair: pair["key"])[:limit]


def off_hours(t: ir.Table, start: int, end: int) -> ir.BooleanValue:
    """19:00-06:00 and weekends by default (the BKWI Suwinet definition)."""
    return (t.hour >= start) | (t.hour < end) | (t.weekday >= 5)


def build_pairs(acc: ir.Table, start: int, end: int) -> ir.Table:
    """Aggregate the accesses of every (employee, subject) pair."""
    a = acc.filter(acc.subject_bsn.notnull() & ~acc.service_account)
    a = a.mutate(
        unexplained=~a.explained | (a.explanation == WEAK),
        weak=(a.explanation == WEAK).fill_null(False),
        visit=a.day.epoch_days() * 24 + a.hour,
        strong=a.explanation.isin(list(STRONG)),
        odd=off_hours(a, start, end),
        bulkish=a.action.isin(["export", "print"]),
    )
    u = a.unexplained
    pairs = a.group_by(["employee_id", "subject_bsn"]).agg(
        team=a.team.arbitrary(),
        department=a.department.arbitrary(),
        n_all=a.count(),
        n_unexplained=u.sum(),
        n_strong=a.strong.fill_null(False).sum(),
        n_weak=a.weak.sum(),
        u_visits=a.visit.nunique(where=u),
        all_visits=a.visit.nunique(),
        all_first=a.occurred_at.min(),
        all_last=a.occurred_at.max(),
        u_first=a.occurred_at.min(where=u),
        u_last=a.occurred_at.max(where=u),
        u_days=a.day.nunique(where=u),
        u_offhours=(u & a.odd).sum(),
        u_export=(u & a.bulkish).sum(),
        u_sensitive=(u & a.sensitive).sum(),
        u_update=(u & a.action.isin(["update", "delete"])).sum(),
    )
    community = a.group_by(["subject_bsn", "team"]).agg(team_people=a.employee_id.nunique())
    pairs = pairs.left_join(
        community, (pairs.subject_bsn == community.subject_bsn) & (pairs.team == community.team)
    )
    out = pairs.select(*[c for c in pairs.columns if not c.endswith("_right")])
    return out.mutate(colleagues=_.team_people.fill_null(1) - 1).drop("team_people")


def staff_table(ctx: DetectionContext) -> ir.Table:
    e = ctx.employees
    return e.select(
        s_id=e.employee_id,
        s_bsn=e.bsn,
        s_postcode=e.postcode,
        s_house=e.house_number,
        s_surname=e.surname,
        s_prefix=e.surname_prefix,
        s_partner_surname=e.partner_surname,
        s_department=e.department,
        s_team=e.team,
        s_until=e.employed_until,
        s_from=e.employed_from,
        s_service=e.service_account.fill_null(False),
    )


def materialise(ctx: DetectionContext, name: str, expr: ir.Table) -> ir.Table:
    """Compute ``expr`` once into a scratch table (per engine: ``execution.py``)."""
    return execution.materialise(ctx.con, name, expr)


PART_EVENTS = 10_000_000
"""Events per part when the explanation and the pair table are built in parts (DuckDB).

Both group every access by citizen. Within a 4 GB memory limit 9.7 million events spilled
half a gigabyte; 100 million at once spilled over 30 GB. Every question they answer is about
one citizen, so splitting the citizens into parts gives the same tables."""


def subject_parts(ctx: DetectionContext) -> list[Callable[[ir.Table], ir.Table]]:
    """Filters that split a table with ``subject_bsn`` into parts of about PART_EVENTS events.

    One part (no filter) on Spark and for towns up to PART_EVENTS events.
    """
    n = 1 if execution.is_spark(ctx.con) else int(ctx.events.count().to_pyarrow().as_py())
    k = max(1, -(-n // PART_EVENTS))
    if k == 1:
        return [lambda t: t]

    def part(i: int) -> Callable[[ir.Table], ir.Table]:
        # Ibis gives the hash as a signed integer: the remainder may be negative
        return lambda t: t.filter((t.subject_bsn.fill_null("").hash() % k + k) % k == i)

    return [part(i) for i in range(k)]


def explained_accesses(
    ctx: DetectionContext, only_part: Callable[[ir.Table], ir.Table]
) -> ir.Table:
    """The accesses of one part with their explanation and the facts the scenarios need."""
    every = only_part(accesses(ctx))
    # batch accounts are judged on volume against their own normal, never per citizen, so
    # explaining their (many) accesses would cost a third of the time and change nothing
    out = explained(ctx, every, only=~every.service_account)
    categories = out.data_categories.fill_null([])
    return out.mutate(
        has_reason=out.explained & (out.explanation != WEAK),
        # the scenarios need two facts about the data categories, not the lists themselves,
        # and a narrower table is much cheaper to keep for millions of events
        sensitive=categories.intersect(list(SENSITIVE_DATA_CATEGORIES)).length() > 0,
        address_data=categories.contains("adres"),
    ).drop("data_categories", "result_count", "outcome", "source_system")


def build_evidence(ctx: DetectionContext) -> Evidence:
    """Explain every access, then build the pair table; both materialised (in parts)."""
    start = int(ctx.param("scoring.off_hours_start", 19))
    end = int(ctx.param("scoring.off_hours_end", 6))
    parts = subject_parts(ctx)
    acc = execution.materialise_parts(
        ctx.con, "sw_accesses", [explained_accesses(ctx, part) for part in parts]
    )
    pairs = execution.materialise_parts(
        ctx.con, "sw_pairs", [build_pairs(part(acc), start, end) for part in parts]
    )
    staff = materialise(ctx, "sw_staff", staff_table(ctx))
    people = materialise(ctx, "sw_people", enrich_pairs(ctx, pairs, staff))
    return Evidence(ctx=ctx, acc=acc, pairs=pairs, staff=staff, people=people)


WATCHLIST_SEVERITY = {
    "protected": 1,
    "politician": 2,
    "official": 3,
    "public_figure": 4,
    "other": 5,
}


def _relation_of_subject(ctx: DetectionContext, staff: ir.Table) -> ir.Table:
    """What each citizen is to each employee, from BRP ties in either direction.

    ``relations`` says what ``related_bsn`` is to ``bsn``. Ties delivered the other way round
    are inverted (a parent of the subject makes the subject a child of the employee).
    Siblings (people who share a parent) are derived, as the BRP delivers no sibling tie.
    """
    r = ctx.relations
    emp_bsn = staff.filter(staff.s_bsn.notnull()).select(e_bsn=staff.s_bsn).distinct()
    forward = r.join(emp_bsn, r.bsn == emp_bsn.e_bsn).select(
        e_bsn=r.bsn, subject=r.related_bsn, relation=r.relation
    )
    invert = ibis.cases(
        (r.relation == "parent", "child"), (r.relation == "child", "parent"), else_=r.relation
    )
    backward = r.join(emp_bsn, r.related_bsn == emp_bsn.e_bsn).select(
        e_bsn=r.related_bsn, subject=r.bsn, relation=invert
    )
    parents = ibis.union(
        r.filter(r.relation == "parent").select(child=r.bsn, parent=r.related_bsn),
        r.filter(r.relation == "child").select(child=r.related_bsn, parent=r.bsn),
    ).distinct()
    mine = parents.join(emp_bsn, parents.child == emp_bsn.e_bsn).select(
        e_bsn=parents.child, p=parents.parent
    )
    others = parents.view()
    siblings = (
        mine.join(others, mine.p == others.parent)
        .filter(lambda t: t.child != t.e_bsn)
        .select(e_bsn=_.e_bsn, subject=_.child, relation=ibis.literal("sibling"))
    )
    ties = ibis.union(forward, backward, siblings)
    rank = ibis.cases(
        (ties.relation == "ex_partner", 1), (ties.relation == "partner", 2),
        (ties.relation == "child", 3), (ties.relation == "parent", 4), else_=5,
    )  # fmt: skip
    best = (
        ties.mutate(rank=rank)
        .group_by(["e_bsn", "subject"])
        .agg(relation=_.relation.argmin(_.rank))
    )
    return best


def _surname_key(prefix: ir.StringValue, surname: ir.StringValue) -> ir.StringValue:
    return (prefix.fill_null("") + " " + surname.fill_null("")).strip().lower()


def enrich_pairs(ctx: DetectionContext, pairs: ir.Table, staff: ir.Table) -> ir.Table:
    """Pairs with who the citizen is and what ties them to the employee."""
    c = ctx.citizens
    cit = c.select(
        c_bsn=c.bsn, c_birth=c.birth_date, c_deceased=c.deceased_on,
        c_confidential=c.confidential.fill_null(False), c_postcode=c.postcode,
        c_house=c.house_number, c_name=_surname_key(c.surname_prefix, c.surname),
    )  # fmt: skip
    freq = cit.group_by("c_name").agg(name_count=cit.count())
    w = ctx.watchlist
    sev = ibis.cases(*[(w.category == k, v) for k, v in WATCHLIST_SEVERITY.items()], else_=9)
    watch = (
        w.mutate(sev=sev)
        .group_by(w_bsn=w.bsn)
        .agg(w_category=_.category.argmin(_.sev), w_note=_.note.argmin(_.sev))
    )
    cowork = staff.filter(staff.s_bsn.notnull()).select(
        cw_bsn=staff.s_bsn, cw_id=staff.s_id, cw_department=staff.s_department
    )
    ties = _relation_of_subject(ctx, staff)
    rates = pairs.group_by(r_team=pairs.team).agg(
        team_rate=(pairs.n_unexplained.sum() / pairs.n_all.sum()).fill_null(0.0)
    )
    curious = (
        pairs.filter(pairs.n_unexplained > 0)
        .group_by(k_bsn=pairs.subject_bsn)
        .agg(snoopers=pairs.employee_id.nunique())
    )
    p = pairs.left_join(rates, pairs.team == rates.r_team)
    p = p.left_join(curious, p.subject_bsn == curious.k_bsn)
    p = p.left_join(staff, p.employee_id == staff.s_id)
    p = p.left_join(cit, p.subject_bsn == cit.c_bsn)
    p = p.left_join(freq, p.c_name == freq.c_name).drop("c_name_right")
    p = p.left_join(watch, p.subject_bsn == watch.w_bsn)
    p = p.left_join(cowork, (p.subject_bsn == cowork.cw_bsn) & (p.employee_id != cowork.cw_id))
    p = p.left_join(ties, (p.s_bsn == ties.e_bsn) & (p.subject_bsn == ties.subject))
    emp_name = _surname_key(p.s_prefix, p.s_surname)
    return p.mutate(
        relation=p.relation,
        is_self=(p.s_bsn == p.subject_bsn).fill_null(False),
        same_address=((p.s_postcode == p.c_postcode) & (p.s_house == p.c_house)).fill_null(False),
        same_postcode=(p.s_postcode == p.c_postcode).fill_null(False),
        same_surname=((emp_name == p.c_name) | (p.s_partner_surname.lower() == p.c_name)).fill_null(
            False
        ),
        minor=(
            p.c_birth > (p.u_first.fill_null(p.all_first).date() - ibis.interval(years=18))
        ).fill_null(False),
        deceased=(p.c_deceased <= p.all_first.date()).fill_null(False),
    )

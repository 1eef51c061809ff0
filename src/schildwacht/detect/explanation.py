"""Explain first, then flag: tie each access to a work reason found elsewhere in the data.

An access of an employee to a citizen is *explained* when one of these holds at its time
(DETECTION.md §3.1, in order of strength):

1. ``zaak_in_log``: the event's own ``case_id`` is a case that lists this citizen;
2. ``zaak_behandelaar``: the employee handles a case about the citizen;
3. ``afspraak``: the employee served the citizen in an appointment around that day;
4. ``zaak_team``: the case sits with the employee's team;
5. ``zaak_collega``: the case's handler is in the employee's team (covering a colleague);
6. ``afspraak_team``: the appointment was with the employee's team;
7. ``afdeling_zaaktype``: the employee's department routinely works this case type (a link
   learned from who handles which cases, after Fabbri & LeFevre's diagnosis-responsibility
   idea), and the citizen has such a case.

Case windows are ``[opened_at - grace_before, closed_at + grace_after]`` (settings).
Explanations are filters: what they explain is not evidence of misuse. Relationship findings
(family, neighbour, ...) are flags and look at explained accesses too, because a relative
who is a client of the employee's own team is a conflict of interest.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from schildwacht.detect.context import DetectionContext

EXPLANATIONS: dict[int, str] = {
    1: "zaak_in_log",
    2: "zaak_behandelaar",
    3: "afspraak",
    4: "zaak_team",
    5: "zaak_collega",
    6: "afspraak_team",
    7: "afdeling_zaaktype",
}
"""Explanation kinds by priority (lower is stronger)."""

EXPLANATION_TEXT_NL: dict[str, str] = {
    "zaak_in_log": "de zaak staat in het logregel",
    "zaak_behandelaar": "medewerker behandelt een zaak van deze persoon",
    "afspraak": "afspraak van de medewerker met deze persoon",
    "zaak_team": "zaak van deze persoon ligt bij het team",
    "zaak_collega": "zaak van een teamgenoot (waarneming)",
    "afspraak_team": "afspraak van het team met deze persoon",
    "afdeling_zaaktype": "de afdeling behandelt dit zaaktype routinematig",
}

FAR_FUTURE = ibis.timestamp("2999-12-31 00:00:00", timezone="UTC")


def accesses(ctx: DetectionContext) -> ir.Table:
    """Events with their employee's team and department, local day and hour."""
    emp = ctx.employees.select(
        emp_id=ctx.employees.employee_id,
        team=ctx.employees.team,
        department=ctx.employees.department,
        service_account=ctx.employees.service_account.fill_null(False),
    )
    ev = ctx.events
    joined = ev.left_join(emp, ev.employee_id == emp.emp_id)
    local = joined.occurred_at.cast("timestamp")  # session time zone: Europe/Amsterdam
    return joined.select(
        event_key=joined.source_system + ":" + joined.event_id,
        employee_id=joined.employee_id,
        subject_bsn=joined.subject_bsn,
        occurred_at=joined.occurred_at,
        day=joined.date,
        hour=local.hour(),
        weekday=local.day_of_week.index(),  # Monday = 0
        source_system=joined.source_system,
        action=joined.action,
        case_id=joined.case_id,
        data_categories=joined.data_categories,
        search_terms=joined.search_terms,
        result_count=joined.result_count,
        outcome=joined.outcome,
        team=joined.team,
        department=joined.department,
        service_account=joined.service_account.fill_null(False),
    )


def department_case_types(ctx: DetectionContext) -> ir.Table:
    """Learned links: departments that routinely handle a case type.

    A department "routinely works" a case type when at least ``min_cases`` cases of that type
    are handled by its people or teams and they are at least ``min_share`` of its cases.
    """
    min_cases = int(ctx.param("explanation.department_case_type_min_cases", 5))
    min_share = float(ctx.param("explanation.department_case_type_min_share", 0.02))
    emp = ctx.employees
    team_dept = emp.group_by(t_team=emp.team).agg(t_department=emp.department.arbitrary())
    person = emp.select(p_id=emp.employee_id, p_department=emp.department)
    c = ctx.cases.filter(ctx.cases.case_type.notnull())
    c = c.left_join(person, c.assignee_employee_id == person.p_id)
    c = c.left_join(team_dept, c.assignee_team == team_dept.t_team)
    c = c.mutate(link_department=ibis.coalesce(c.p_department, c.t_department))
    c = c.filter(c.link_department.notnull())
    per = c.group_by(["link_department", "case_type"]).agg(n=c.case_id.nunique())
    total = per.group_by("link_department").agg(total=per.n.sum())
    per = per.join(total, "link_department")
    return per.filter((per.n >= min_cases) & (per.n >= per.total * min_share)).select(
        "link_department", "case_type"
    )


def _case_matches(ctx: DetectionContext, ev: ir.Table) -> ir.Table:
    before = int(ctx.param("explanation.case_grace_before_days", 7))
    after = int(ctx.param("explanation.case_grace_after_days", 30))
    emp = ctx.employees.select(h_id=ctx.employees.employee_id, h_team=ctx.employees.team)
    cases = ctx.cases.left_join(emp, ctx.cases.assignee_employee_id == emp.h_id)
    cases = cases.select(
        c_case_id=cases.case_id,
        c_case_type=cases.case_type,
        c_subject=cases.subject_bsn,
        c_assignee=cases.assignee_employee_id,
        c_team=cases.assignee_team,
        c_handler_team=cases.h_team,
        c_start=cases.opened_at - ibis.interval(days=before),
        c_end=cases.closed_at.fill_null(FAR_FUTURE) + ibis.interval(days=after),
    )
    links = department_case_types(ctx)
    j = ev.join(cases, ev.subject_bsn == cases.c_subject)
    j = j.left_join(
        links, (j.department == links.link_department) & (j.c_case_type == links.case_type)
    )
    inside = (j.occurred_at >= j.c_start) & (j.occurred_at <= j.c_end)
    prio = ibis.cases(
        (j.case_id == j.c_case_id, 1),
        (inside & (j.c_assignee == j.employee_id), 2),
        (inside & (j.c_team == j.team), 4),
        (inside & (j.c_handler_team == j.team), 5),
        (inside & j.link_department.notnull(), 7),
    )
    return j.select(k=j.event_key, prio=prio).filter(lambda t: t.prio.notnull())


def _appointment_matches(ctx: DetectionContext, ev: ir.Table) -> ir.Table:
    window = int(ctx.param("explanation.appointment_window_days", 1))
    a = ctx.appointments
    appts = a.select(
        a_subject=a.subject_bsn,
        a_employee=a.employee_id,
        a_team=a.team,
        a_day=a.starts_at.cast("timestamp").date(),
    )
    j = ev.join(appts, ev.subject_bsn == appts.a_subject)
    near = j.day.delta(j.a_day, unit="day").abs() <= window
    prio = ibis.cases((near & (j.a_employee == j.employee_id), 3), (near & (j.a_team == j.team), 6))
    return j.select(k=j.event_key, prio=prio).filter(lambda t: t.prio.notnull())


def explained(
    ctx: DetectionContext, events: ir.Table, only: ir.BooleanValue | None = None
) -> ir.Table:
    """``events`` (from ``accesses``) with ``explanation`` (kind or NULL) and ``explained``.

    ``only`` limits which events are looked up (the rest stay unexplained): detection skips
    batch accounts, which it judges on volume alone.
    """
    with_subject = events.filter(events.subject_bsn.notnull())
    if only is not None:
        with_subject = with_subject.filter(only)
    cols = with_subject.select(
        "event_key", "employee_id", "subject_bsn", "occurred_at", "day", "case_id", "team",
        "department",
    )  # fmt: skip
    matches = ibis.union(_case_matches(ctx, cols), _appointment_matches(ctx, cols))
    best = matches.group_by("k").agg(best=matches.prio.min())
    base = events.view()  # a fresh reference: ``best`` is derived from ``events`` too
    out = base.left_join(best, base.event_key == best.k)
    label = ibis.cases(*[(out.best == p, name) for p, name in EXPLANATIONS.items()])
    out = out.mutate(explanation=label, explained=out.best.notnull())
    return out.drop("k", "best")

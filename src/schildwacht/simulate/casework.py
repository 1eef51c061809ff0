"""The records that explain legitimate work: zaken (cases), appointments and desk contacts.

Cases run for days (a move) to years (social assistance), are opened on working days and
sit with a person, a team or both; some were opened before the window, many stay open after
it. Desk visits and KCC calls are planned here too, because they leave records (appointment
rows, same-day zaken) that detection must be able to find. A few records are deliberately
the legitimate look-alikes of misuse: a relative who is a genuine client of the employee's
team, a neighbour served at the desk, a watchlist person renewing a passport.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from schildwacht.simulate.catalogue import TEAMS, WORK_TYPES, team_index, work_type_index
from schildwacht.simulate.clock import HOUR, Calendar
from schildwacht.simulate.organisation import Organisation
from schildwacht.simulate.population import Population
from schildwacht.simulate.subjects import SubjectPools
from schildwacht.simulate.visits import plan_visits

NEVER = 10**9
_CASE_PREFIX = {
    "sociaal-domein": "SD-{y}-{n:06d}",
    "belastingen": "BEL{y}{n:07d}",
    "vergunningen": "OLO-{y}-{n:06d}",
    "zaaksysteem": "ZAAK-{y}-{n:07d}",
    "brp": "ZAAK-{y}-{n:07d}",
}
_TEAM = np.array([team_index()[w.team] for w in WORK_TYPES])
_TEAM_ROLE = np.array([TEAMS[t].role for t in _TEAM], dtype=object)


@dataclass
class Casework:
    """Cases (with their subjects), visits and appointments as parallel arrays."""

    case_id: np.ndarray
    case_type: np.ndarray  # work type code
    case_team: np.ndarray
    assignee: np.ndarray  # employee number or -1
    team_listed: np.ndarray  # assignee_team is filled
    opened: np.ndarray  # epoch seconds
    closed: np.ndarray  # epoch seconds, -1 while open
    opened_day: np.ndarray
    closed_day: np.ndarray  # NEVER while open after the window
    pre_day: np.ndarray  # a day of work before a late registration, or -NEVER
    sub_start: np.ndarray
    sub_count: np.ndarray
    subject: np.ndarray  # case subjects, grouped by case
    subject_case: np.ndarray
    visits: dict[str, np.ndarray]  # day, time, emp, subject, type, case, appointment
    appointments: dict[str, np.ndarray]  # subject, emp, team, time, service, id


@dataclass
class _Draft:
    """Cases before they get ids, in any order."""

    wt: list[np.ndarray]
    primary: list[np.ndarray]
    opened: list[np.ndarray]
    closed: list[np.ndarray]
    assignee: list[np.ndarray]
    listed: list[np.ndarray]


def assessment_days(cal: Calendar) -> np.ndarray:
    """Nights of the yearly municipal tax assessment run (aanslagoplegging).

    Municipalities send assessments at the end of February; when the window misses that,
    the run falls two thirds into a window of at least three weeks, so the seasonal bulk
    look-alike is present in any realistic simulation.
    """
    day = np.arange(cal.days)
    dates = cal.dates(day).astype(object)
    late_feb = day[[(d.month == 2 and d.day >= 20) for d in dates] & cal.workday(day)]
    if len(late_feb) >= 3:
        return late_feb[:5]
    if cal.days < 21:
        return day[:0]
    begin = cal.days * 2 // 3
    return day[begin : begin + 7][cal.workday(day[begin : begin + 7])]


def build_casework(
    rng: np.random.Generator, pop: Population, org: Organisation, cal: Calendar
) -> Casework:
    """Plan all cases, desk visits, KCC calls and appointments of the window."""
    colleagues = org.citizen[(org.citizen >= 0)]
    pools = SubjectPools(pop, cal, colleagues)
    draft = _Draft([], [], [], [], [], [])
    _long_cases(rng, org, cal, pools, draft)
    _relatives_as_clients(rng, pop, org, cal, draft)
    visits, appointments = plan_visits(rng, pop, org, cal, pools)
    kcc = np.flatnonzero(visits["case"] >= 0)  # calls registered as same-day zaken
    visits["case"][kcc] += sum(len(x) for x in draft.wt)
    draft.wt.append(np.full(len(kcc), work_type_index()["Klantvraag"]))
    draft.primary.append(visits["subject"][kcc])
    draft.opened.append(visits["day"][kcc])
    draft.closed.append(visits["day"][kcc])
    draft.assignee.append(visits["emp"][kcc])
    draft.listed.append(np.ones(len(kcc), dtype=bool))
    return _finish(rng, org, cal, pools, draft, visits, appointments)


def _long_cases(
    rng: np.random.Generator, org: Organisation, cal: Calendar, pools: SubjectPools, d: _Draft
) -> None:
    """Cases per work type, sized so each team carries its caseload in steady state."""
    teams = team_index()
    surge = assessment_days(cal)
    for code, w in enumerate(WORK_TYPES):
        if w.per_week <= 0:
            continue
        team = teams[w.team]
        members = org.members(team)
        if len(members) == 0:
            continue
        weights = sum(x.weight for x in WORK_TYPES if x.team == w.team and x.per_week > 0)
        active = len(members) * TEAMS[team].caseload * w.weight / weights
        lo, hi = w.duration
        mean = (hi - lo) / np.log(hi / lo) if hi > lo else float(lo)
        span = np.arange(-hi, cal.days)
        weight = cal.workday(span).astype(float)
        if TEAMS[team].department == "Belastingen" and len(surge):
            weight[(span >= surge[0]) & (span < surge[0] + 21)] *= 3.0
        count = rng.poisson(active / mean * len(span))
        opened = rng.choice(span, size=count, p=weight / weight.sum())
        length = np.round(np.exp(rng.uniform(np.log(max(lo, 1)), np.log(max(hi, 1)), count)))
        closed = opened + length.astype(np.int64)
        keep = closed >= -30
        opened, closed = opened[keep], closed[keep]
        _add(rng, org, d, code, pools.draw(rng, w.subjects, len(opened)), opened, closed)


def _add(
    rng: np.random.Generator,
    org: Organisation,
    d: _Draft,
    code: int,
    primary: np.ndarray,
    opened: np.ndarray,
    closed: np.ndarray,
    exclude: int = -1,
    assignment: tuple[float, float, float] | None = None,
) -> None:
    """Assign new cases to a person, the team or both, and add them to the draft."""
    w = WORK_TYPES[code]
    members = org.members(team_index()[w.team])
    mode = rng.choice(3, size=len(primary), p=assignment or w.assignment)
    person = np.full(len(primary), -1)
    for _ in range(3):
        pick = members[rng.integers(0, len(members), len(primary))]
        ok = (org.employed_from[pick] <= opened) & (opened <= org.employed_until[pick])
        ok &= pick != exclude
        person = np.where((person < 0) & ok, pick, person)
    mode = np.where((person < 0) & (mode > 0), 0, mode)
    d.wt.append(np.full(len(primary), code))
    d.primary.append(primary)
    d.opened.append(opened)
    d.closed.append(closed)
    d.assignee.append(np.where(mode == 0, -1, person))
    d.listed.append(mode != 1)


def _relatives_as_clients(
    rng: np.random.Generator, pop: Population, org: Organisation, cal: Calendar, d: _Draft
) -> None:
    """A relative of an employee who is a genuine client of the employee's own team.

    Policy says such a case should be reassigned; here it sits with the team (handled by a
    colleague), so the employee's occasional access is explained: a family look-alike.
    """
    a, b, _ = pop.relations.pairs()
    role = org.role
    for e in np.flatnonzero((org.citizen >= 0) & (role == "cases")).tolist():
        team = TEAMS[int(org.team[e])]
        types = [i for i, w in enumerate(WORK_TYPES) if w.team == team.name and w.per_week > 0]
        if rng.random() > 0.08 or not types or team.department == "HR":
            continue
        relatives = b[a == org.citizen[e]]
        relatives = relatives[pop.alive[relatives] & (pop.age[relatives] >= 18)]
        if len(relatives) == 0 or len(org.members(int(org.team[e]))) < 2:
            continue
        opened = np.array([int(rng.integers(-60, cal.days - 5))])
        code = int(rng.choice(types))
        closed = opened + int(rng.integers(20, 200))
        _add(rng, org, d, code, relatives[:1], opened, closed, e, assignment=(0.5, 0.0, 0.5))


def _finish(
    rng: np.random.Generator,
    org: Organisation,
    cal: Calendar,
    pools: SubjectPools,
    d: _Draft,
    visits: dict[str, np.ndarray],
    appointments: dict[str, np.ndarray],
) -> Casework:
    """Give cases times, ids and subjects; order cases and appointments by time."""
    wt = np.concatenate(d.wt)
    opened_day, closed_day = np.concatenate(d.opened), np.concatenate(d.closed)
    n = len(wt)
    open_tod = rng.integers(int(8.5 * HOUR), int(16.5 * HOUR), n)
    kcc = np.flatnonzero(visits["case"] >= 0)
    open_tod[visits["case"][kcc]] = visits["tod"][kcc] + rng.integers(60, 600, len(kcc))
    opened = cal.at(opened_day, open_tod)
    closed = np.where(
        closed_day == opened_day,
        opened + rng.integers(600, 4 * HOUR, n),
        cal.at(closed_day, rng.integers(int(8.5 * HOUR), int(17 * HOUR), n)),
    )
    still_open = closed_day >= cal.days
    order = np.argsort(opened, kind="stable")
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    visits["case"] = np.where(visits["case"] >= 0, rank[np.maximum(visits["case"], 0)], -1)
    subject_case, subject = _case_subjects(pools, wt, np.concatenate(d.primary), rank)
    sub_start = np.searchsorted(subject_case, np.arange(n))
    late = (rng.random(n) < 0.04) & (_TEAM_ROLE[wt] == "cases")
    pre = opened_day - rng.integers(10, 26, n)
    years = opened.astype("datetime64[s]").astype("datetime64[Y]").astype(int) + 1970
    return Casework(
        case_id=_case_ids(wt[order], years[order]),
        case_type=wt[order],
        case_team=_TEAM[wt[order]],
        assignee=np.concatenate(d.assignee)[order],
        team_listed=np.concatenate(d.listed)[order],
        opened=opened[order],
        closed=np.where(still_open, -1, closed)[order],
        opened_day=opened_day[order],
        closed_day=np.where(still_open, NEVER, closed_day)[order],
        pre_day=np.where(late & (pre >= 0), pre, -NEVER)[order],
        sub_start=sub_start,
        sub_count=np.searchsorted(subject_case, np.arange(n), side="right") - sub_start,
        subject=subject,
        subject_case=subject_case,
        visits=visits,
        appointments=_number_appointments(visits, appointments),
    )


def _case_subjects(
    pools: SubjectPools, wt: np.ndarray, primary: np.ndarray, rank: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(case number, citizen) of every case subject, grouped by case number."""
    cases, people = [], []
    for code in np.unique(wt).tolist():
        at = np.flatnonzero(wt == code)
        local, member = pools.expand(WORK_TYPES[code].subjects, primary[at])
        cases.append(rank[at[local]])
        people.append(member)
    case, subject = np.concatenate(cases), np.concatenate(people)
    by_case = np.argsort(case, kind="stable")
    return case[by_case], subject[by_case]


def _number_appointments(
    visits: dict[str, np.ndarray], appointments: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """Appointments in time order with their ids; visits point at their new numbers."""
    order = np.argsort(appointments["time"], kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    booked = visits["appointment"] >= 0
    visits["appointment"] = np.where(booked, rank[np.maximum(visits["appointment"], 0)], -1)
    out = {k: v[order] for k, v in appointments.items()}
    out["id"] = np.array([f"AFS{i + 10_000:07d}" for i in range(len(order))], dtype=object)
    return out


def _case_ids(wt: np.ndarray, years: np.ndarray) -> np.ndarray:
    """Zaak numbers in the style of each application, numbered by year in opening order."""
    counters: dict[tuple[str, int], int] = {}
    out = []
    for code, year in zip(wt.tolist(), years.tolist(), strict=True):
        style = _CASE_PREFIX[WORK_TYPES[code].system]
        n = counters.get((style, year), 0) + 1
        counters[(style, year)] = n
        out.append(style.format(y=year, n=n))
    return np.array(out, dtype=object)

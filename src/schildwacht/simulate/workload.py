"""A day of legitimate work: who opened whose records, when, and why.

Almost every access has a reason on record: the desk serves the day's appointments, case
handlers (or their team-mates when they are away) work their zaken, the KCC answers calls,
batch jobs run at night. A small share has no record at all, as in real logs: walk-ins,
unregistered calls, quality checks, work before a case was registered, the tax team
checking assessments. Those record-less accesses never touch the employee's own circle,
colleagues, confidential or watchlist people, because such a look is exactly what the
labels call misuse.
"""

from __future__ import annotations

import numpy as np

from schildwacht.contract import ACTIONS, OUTCOMES
from schildwacht.simulate.casework import NEVER, Casework, assessment_days
from schildwacht.simulate.catalogue import (
    ASSESSMENT_ACCOUNT,
    SERVICE_JOBS,
    SYSTEMS,
    TEAMS,
    WORK_TYPES,
    work_type_index,
)
from schildwacht.simulate.clock import HOUR, Calendar
from schildwacht.simulate.organisation import Organisation
from schildwacht.simulate.population import Population
from schildwacht.simulate.sessions import (
    ACTIVITIES,
    CATEGORIES,
    Events,
    Renderer,
    Sessions,
    sessions,
)


def circle_keys(pop: Population, org: Organisation) -> np.ndarray:
    """Sorted keys ``employee * len(pop) + citizen`` of each resident employee's own circle.

    The circle is the employee, their BRP relatives and everyone at their postcode.
    """
    a, b, _ = pop.relations.pairs()
    by_postcode = np.argsort(pop.postcode, kind="stable")
    sorted_pc = pop.postcode[by_postcode]
    keys = [np.empty(0, dtype=np.int64)]
    for e in np.flatnonzero(org.citizen >= 0).tolist():
        c = int(org.citizen[e])
        lo = np.searchsorted(sorted_pc, pop.postcode[c])
        hi = np.searchsorted(sorted_pc, pop.postcode[c], side="right")
        people = np.concatenate([[c], b[a == c], by_postcode[lo:hi]])
        keys.append(e * len(pop) + people)
    return np.unique(np.concatenate(keys))


class Workload:
    """Generates the legitimate events of one day at a time."""

    def __init__(
        self, pop: Population, org: Organisation, cal: Calendar, cw: Casework, render: Renderer
    ) -> None:
        self.pop, self.org, self.cal, self.cw, self.render = pop, org, cal, cw, render
        self.circle = circle_keys(pop, org)
        self.handlers = org.handles_people
        self.service_emp = np.flatnonzero(org.service)  # in SERVICE_JOBS order
        kcc = work_type_index()["Klantvraag"]
        per_week = np.array([w.per_week for w in WORK_TYPES])
        self.rate = per_week[cw.case_type] / 5.0
        self.worked = (per_week[cw.case_type] > 0) & (cw.case_type != kcc)
        sensitive = pop.confidential.copy()
        sensitive[pop.watch] = True
        sensitive[org.citizen[org.citizen >= 0]] = True
        self.check_pool = np.flatnonzero(pop.alive & (pop.age >= 18) & ~sensitive)
        heads = pop.hh_start  # the first adult of each household gets the tax assessment
        self.taxpayers = heads[pop.alive[heads] & (pop.age[heads] >= 18)]
        self.assessment = assessment_days(cal)
        self.check_types = [self._check_types(t) for t in range(len(TEAMS))]
        sd = np.array([TEAMS[t].department == "Sociaal Domein" for t in range(len(TEAMS))])
        self.sociaal = sd[cw.case_team]
        self.primary = cw.subject[cw.sub_start]  # the client a case is mainly about

    @staticmethod
    def _check_types(team: int) -> tuple[np.ndarray, np.ndarray]:
        """Work types a team's record-less checks look like, with weights."""
        name = TEAMS[team].name
        own = [i for i, w in enumerate(WORK_TYPES) if w.team == name]
        plain = [i for i in own if WORK_TYPES[i].per_week == 0]
        chosen = plain or own
        weight = np.array([WORK_TYPES[i].weight for i in chosen], dtype=float)
        return np.array(chosen, dtype=np.int64), weight / max(weight.sum(), 1e-9)

    def day(self, rng: np.random.Generator, d: int) -> Events:
        """All legitimate events of day ``d`` (unsorted)."""
        parts = [
            p for p in (self._visits(rng, d), self._cases(rng, d), self._checks(rng, d)) if len(p)
        ]
        events = self.render.expand(rng, Sessions.concat(parts)) if parts else Events.empty()
        own = events.subject == self.org.citizen[events.emp]
        events = events.take(np.flatnonzero(~own))
        events.time = np.minimum(events.time, self.cal.at(np.array([d + 1]), np.array([0]))[0] - 1)
        return Events.concat([events, self._service(rng, d)])

    def pick(
        self, rng: np.random.Generator, d: int, team: np.ndarray, hint: np.ndarray | None = None
    ) -> np.ndarray:
        """An available member of each ``team`` (-1 when nobody is in); ``hint`` fixes who."""
        org = self.org
        avail = np.flatnonzero(org.available[:, d] & self.handlers)
        order = avail[np.argsort(org.team[avail], kind="stable")]
        teams = org.team[order]
        start = np.searchsorted(teams, team)
        count = np.searchsorted(teams, team, side="right") - start
        r = (
            (rng.random(len(team)) * count).astype(np.int64)
            if hint is None
            else hint % np.maximum(count, 1)
        )
        if len(order) == 0:
            return np.full(len(team), -1)
        return np.where(count > 0, order[np.minimum(start + r, len(order) - 1)], -1)

    def times(
        self, rng: np.random.Generator, d: int, emp: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Start instants within each employee's working day, some in an evening from home."""
        org = self.org
        tod = org.day_start[emp] + (rng.random(len(emp)) * org.day_length[emp]).astype(np.int64)
        if not self.cal.workday(np.array([d]))[0]:
            tod = rng.integers(10 * HOUR, 14 * HOUR, len(emp))
        late = org.evening[emp, d] & (rng.random(len(emp)) < 0.25)
        tod = np.where(late, rng.integers(int(18.5 * HOUR), int(22.5 * HOUR), len(emp)), tod)
        return self.cal.at(np.full(len(emp), d), tod), late

    def _visits(self, rng: np.random.Generator, d: int) -> Sessions:
        v = self.cw.visits
        at = np.flatnonzero(v["day"] == d)
        tod = v["tod"][at] + rng.integers(-60, 300, len(at))
        time = self.cal.at(np.full(len(at), d), tod)
        return sessions(rng, v["emp"][at], time, v["type"][at], v["subject"][at], v["case"][at])

    def _cases(self, rng: np.random.Generator, d: int) -> Sessions:
        """Work on open zaken, and work done before a zaak was registered (late registration)."""
        cw = self.cw
        active = np.flatnonzero(self.worked & (cw.opened_day <= d) & (d <= cw.closed_day))
        scale = 1.0 if self.cal.workday(np.array([d]))[0] else 0.03
        go = rng.random(len(active)) < self.rate[active] * scale
        go |= (cw.opened_day[active] == d) | (cw.closed_day[active] == d)
        worked = self._sessions_on(rng, d, active[go], registered=True)
        early = self._sessions_on(rng, d, np.flatnonzero(cw.pre_day == d), registered=False)
        return Sessions.concat([worked, early])

    def _sessions_on(
        self, rng: np.random.Generator, d: int, case: np.ndarray, registered: bool
    ) -> Sessions:
        """Sessions on ``case`` by its handler, or by a team-mate when the handler is away.

        Work on a handler's own case mostly waits for them; team cases get picked up, most
        often by the same team-mate (a team case usually has a de facto handler).
        """
        cw, org = self.cw, self.org
        assignee = cw.assignee[case]
        present = (assignee >= 0) & org.available[np.maximum(assignee, 0), d]
        cover = np.where(cw.team_listed[case], 0.6, 0.35)
        waits = ~present & (assignee >= 0) & (rng.random(len(case)) >= cover)
        case, assignee, present = case[~waits], assignee[~waits], present[~waits]
        regular = np.where(rng.random(len(case)) < 0.7, case, rng.integers(0, NEVER, len(case)))
        emp = np.where(present, assignee, self.pick(rng, d, cw.case_team[case], regular))
        case, emp = case[emp >= 0], emp[emp >= 0]
        time, late = self.times(rng, d, emp)
        wt = cw.case_type[case]
        if registered:
            return sessions(rng, emp, time, wt, np.full(len(case), -1), case, late)
        return sessions(rng, emp, time, wt, self.primary[case], None, late)

    def _checks(self, rng: np.random.Generator, d: int) -> Sessions:
        """Record-less work: quality checks, unregistered questions, assessment checks."""
        org = self.org
        emp = np.flatnonzero(org.available[:, d] & self.handlers)
        rate = np.array([TEAMS[t].checks for t in range(len(TEAMS))])[org.team[emp]]
        near = len(self.assessment) and self.assessment[0] <= d <= self.assessment[-1] + 7
        heffing = org.team[emp] == [t.name for t in TEAMS].index("Heffing")
        rate = np.where(heffing & bool(near), rate + 6.0, rate)
        emp = np.repeat(emp, rng.poisson(rate))
        wt = np.empty(len(emp), dtype=np.int64)
        for t in np.unique(org.team[emp]).tolist():
            at = org.team[emp] == t
            types, weight = self.check_types[t]
            wt[at] = types[rng.choice(len(types), size=int(at.sum()), p=weight)]
        subject = self.check_pool[rng.integers(0, len(self.check_pool), len(emp))]
        for _ in range(3):
            clash = np.isin(emp * len(self.pop) + subject, self.circle)
            subject[clash] = self.check_pool[
                rng.integers(0, len(self.check_pool), int(clash.sum()))
            ]
        keep = ~np.isin(emp * len(self.pop) + subject, self.circle)
        emp, wt, subject = emp[keep], wt[keep], subject[keep]
        time, late = self.times(rng, d, emp)
        return sessions(rng, emp, time, wt, subject, off_site=late)

    def _service(self, rng: np.random.Generator, d: int) -> Events:
        """Nightly batch jobs: thousands of records each, between 00:30 and 05:00."""
        parts: list[Events] = []
        workday = bool(self.cal.workday(np.array([d]))[0])
        for j, job in enumerate(SERVICE_JOBS):
            if (job.weekdays_only and not workday) or (
                job.weekly and int(self.cal.weekday(np.array([d]))[0]) != 0
            ):
                continue
            pool, case = self._pool(job.pool, d)
            k = min(len(pool), round(job.share * len(pool)))
            pick = (
                np.sort(rng.choice(len(pool), size=k, replace=False))
                if k < len(pool)
                else np.arange(len(pool))
            )
            subject, cases = pool[pick], case[pick]
            actions = np.full(len(subject), ACTIONS.index(job.action))
            if job.account == ASSESSMENT_ACCOUNT and d in self.assessment:
                night = np.array_split(self.taxpayers, len(self.assessment))[
                    int(np.searchsorted(self.assessment, d))
                ]
                subject = np.concatenate([subject, np.repeat(night, 2)])
                cases = np.concatenate([cases, np.full(2 * len(night), -1)])
                pair = np.tile([ACTIONS.index("view"), ACTIONS.index("export")], len(night))
                actions = np.concatenate([actions, pair])
            parts.append(self._job_events(rng, d, j, subject, cases, actions))
        return Events.concat(parts) if parts else Events.empty()

    def _pool(self, name: str, d: int) -> tuple[np.ndarray, np.ndarray]:
        """Subjects (and the case they come from, or -1) a batch job works through."""
        pop, cw = self.pop, self.cw
        if name == "sociaal" or name == "closed_cases":
            if name == "sociaal":
                cases = np.flatnonzero(self.sociaal & (cw.opened_day <= d) & (d <= cw.closed_day))
            else:
                cases = np.flatnonzero(cw.closed_day == d - 1)
            rows = np.flatnonzero(np.isin(cw.subject_case, cases))
            logged = cw.subject_case[rows] if name == "closed_cases" else np.full(len(rows), -1)
            return cw.subject[rows], logged
        if name == "taxpayers":
            people = self.taxpayers
        elif name == "elderly":
            people = np.flatnonzero(pop.alive & (pop.age >= 75))
        else:
            people = np.arange(len(pop))
        return people, np.full(len(people), -1)

    def _job_events(
        self,
        rng: np.random.Generator,
        d: int,
        j: int,
        subject: np.ndarray,
        case: np.ndarray,
        action: np.ndarray,
    ) -> Events:
        """One night's run of batch job ``j``: one event per record, on the job's server."""
        job = SERVICE_JOBS[j]
        n = len(subject)
        server = f"srv-{job.account.removeprefix('svc-')}-01.gemeente.local"
        tod = np.sort(rng.integers(HOUR // 2, 5 * HOUR, n))
        return Events(
            time=self.cal.at(np.full(n, d), tod),
            system=np.full(n, SYSTEMS.index(job.system)),
            emp=np.full(n, self.service_emp[j]),
            action=action,
            subject=subject,
            activity=np.full(n, ACTIVITIES.index(job.activity)),
            case=case,
            categories=np.full(n, CATEGORIES.index(job.categories)),
            terms=np.full(n, None, dtype=object),
            result=np.full(n, -1),
            outcome=np.where(rng.random(n) < 0.001, OUTCOMES.index("error"), OUTCOMES.index("ok")),
            client=np.full(n, server, dtype=object),
        )

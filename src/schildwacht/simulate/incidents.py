"""Injected misuse: who, whom, when, and the ground-truth label of each incident.

An incident is a handful of ordinary-looking sessions by one employee, rendered with that
employee's own work types, clients and working hours, on subjects the employee has no work
reason for. Most happen during busy working days; some at odd hours (as real snooping from
home does, and as legitimate overtime also does). The label's window spans the incident's
first to last event; its subjects are every citizen whose record the incident touched,
except for volume-only (bulk) incidents, whose label lists no subjects.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from schildwacht.simulate.casework import Casework
from schildwacht.simulate.catalogue import WORK_TYPES
from schildwacht.simulate.clock import HOUR, Calendar
from schildwacht.simulate.organisation import ALL_TEAMS, Organisation
from schildwacht.simulate.population import Population
from schildwacht.simulate.sessions import Events, Renderer, Sessions, sessions
from schildwacht.simulate.workload import Workload

SCENARIOS: tuple[str, ...] = (
    "unexplained_access", "self", "family", "neighbour", "coworker", "watchlist",
    "confidential", "address_harvest", "name_browsing", "bulk", "serial", "leaver",
)  # fmt: skip
"""Scenario codes of DETECTION.md, in its order."""

BASE_COUNTS: dict[str, int] = {
    "unexplained_access": 8, "self": 4, "family": 8, "neighbour": 5, "coworker": 5,
    "watchlist": 6, "confidential": 4, "address_harvest": 3, "name_browsing": 4, "bulk": 3,
    "serial": 4, "leaver": 3,
}  # fmt: skip
"""Incidents per scenario in the default town (1,500 staff, 60 days): 57 in all."""


@dataclass
class Label:
    """Ground truth of one incident (the contract's ``labels.jsonl`` line)."""

    incident_id: str
    scenario: str
    employee: int
    subjects: list[int]
    start: int
    end: int


def incident_counts(employees: int, days: int) -> dict[str, int]:
    """Incidents per scenario: scaled by staff and window, at least two of each."""
    scale = employees / 1500 * days / 60
    return {s: max(2, round(n * scale)) for s, n in BASE_COUNTS.items()}


class Planner:
    """Shared machinery for the scenario builders in ``scenarios.py``."""

    def __init__(
        self,
        rng: np.random.Generator,
        pop: Population,
        org: Organisation,
        cal: Calendar,
        cw: Casework,
        work: Workload,
        render: Renderer,
    ) -> None:
        self.rng, self.pop, self.org, self.cal, self.cw = rng, pop, org, cal, cw
        self.work, self.render = work, render
        self.used: set[int] = set()
        self._done: set[str] = set()
        self._explained: OrderedDict[int, np.ndarray] = OrderedDict()  # employee -> mask
        full_window = (org.employed_from <= 0) & (org.employed_until >= cal.days)
        enough_days = org.available.sum(axis=1) >= min(5, cal.days // 2)
        self.staff = np.flatnonzero(org.handles_people & full_window & enough_days)

    # --- who -----------------------------------------------------------------------
    def perpetrator(self, candidates: np.ndarray) -> int | None:
        """A not yet used employee among ``candidates`` (reused only when all are used)."""
        if len(candidates) == 0:
            return None
        fresh = candidates[~np.isin(candidates, list(self.used))]
        pool = fresh if len(fresh) else candidates
        e = int(pool[self.rng.integers(0, len(pool))])
        self.used.add(e)
        return e

    def first(self, what: str) -> bool:
        """True the first time a builder asks about ``what`` (e.g. the ex-partner case)."""
        new = what not in self._done
        self._done.add(what)
        return new

    def candidates(self, pool: np.ndarray) -> list[int]:
        """``pool`` in random order, employees not yet used first."""
        order = self.rng.permutation(pool).tolist()
        return [e for e in order if e not in self.used] + [e for e in order if e in self.used]

    EXPLAINED_CACHE = 32
    """Employees whose work reasons are kept: a builder asks several times about one employee.

    Not every employee: in a town of 10,000 staff and 515 days each employee's reasons run to
    tens of thousands of citizens, and keeping them all took the planner past 7 GB.
    """

    def explained(self, e: int) -> np.ndarray:
        """Citizens the employee could have a work reason for (cases, visits, appointments)."""
        return np.flatnonzero(self.has_reason(e))

    def has_reason(self, e: int) -> np.ndarray:
        """Per citizen: does the employee have a work reason for them? (cached, read-only)"""
        if e in self._explained:
            self._explained.move_to_end(e)
        else:
            self._explained[e] = self._reasons(e)
            if len(self._explained) > self.EXPLAINED_CACHE:
                self._explained.popitem(last=False)
        return self._explained[e]

    def without_reason(self, e: int, people: np.ndarray) -> np.ndarray:
        """``people`` minus anyone ``e`` has a work reason for, sorted and unique.

        What ``np.setdiff1d(people, explained(e))`` gives, without sorting the employee's
        reasons (tens of thousands of citizens in a large town) on every call.
        """
        people = np.unique(people)
        return people[~self.has_reason(e)[people]]

    def _reasons(self, e: int) -> np.ndarray:
        cw, team = self.cw, self.org.team[e]
        ours = (cw.assignee == e) | (cw.case_team == team)  # per case; np.isin would sort
        rows = ours[cw.subject_case]
        v, a = cw.visits, cw.appointments
        reason = np.zeros(len(self.pop), dtype=bool)
        for subjects in (cw.subject[rows], v["subject"][v["emp"] == e],
                         a["subject"][a["team"] == team]):  # fmt: skip
            reason[subjects] = True
        reason.flags.writeable = False  # cached and shared by every caller
        return reason

    def circle(self, e: int) -> np.ndarray:
        """The employee's own circle (self, relatives, postcode), as citizen numbers."""
        keys = self.work.circle
        n = len(self.pop)
        lo, hi = np.searchsorted(keys, [e * n, (e + 1) * n])
        return keys[lo:hi] - e * n

    def unrelated(self, e: int, pool: np.ndarray | None = None) -> np.ndarray:
        """Ordinary citizens with no tie to the employee and no work reason for them.

        ``pool`` is sorted and unique (``check_pool`` or an intersection with it), so a mask
        over the population gives what two ``setdiff1d`` calls gave, in linear time: those
        sorted the whole pool on every call, which made planning the incidents of a town of
        10,000 staff take longer than writing its 100 million events.
        """
        pool = self.work.check_pool if pool is None else pool
        keep = ~self.has_reason(e)
        keep[self.circle(e)] = False
        return pool[keep[pool]]

    def pick(self, pool: np.ndarray, k: int = 1) -> np.ndarray:
        """``k`` distinct members of ``pool`` (fewer if it is smaller)."""
        return self.rng.choice(pool, size=min(k, len(pool)), replace=False)

    # --- when ----------------------------------------------------------------------
    def days(self, e: int, k: int, span: int, after: int | None = None) -> np.ndarray:
        """``k`` distinct days within ``span`` days when ``e`` works, or any day after ``after``."""
        rng, n = self.rng, self.cal.days
        if after is not None:
            ok = np.arange(max(after + 1, 0), n)
        else:
            ok = np.flatnonzero(self.org.available[e])
        if len(ok) == 0:
            return ok
        first = int(ok[rng.integers(0, max(1, len(ok) - min(k, len(ok)) + 1))])
        window = ok[(ok >= first) & (ok < first + max(span, 1))]
        if len(window) < k:
            window = ok
        return np.sort(rng.choice(window, size=min(k, len(window)), replace=False))

    def times(self, e: int, days: np.ndarray, odd_share: float) -> tuple[np.ndarray, np.ndarray]:
        """Start instants in ``e``'s usual hours, or (``odd_share``) an evening or early morning.

        Returns the instants and whether each session was off site (from home).
        """
        rng = self.rng
        odd = rng.random(len(days)) < odd_share
        usual = np.array(
            [self.work.times(rng, d, np.array([e]))[0][0] for d in days.tolist()], dtype=np.int64
        )
        evening = rng.integers(19 * HOUR, int(22.5 * HOUR), len(days))
        early = rng.integers(int(6.5 * HOUR), int(7.5 * HOUR), len(days))
        tod = np.where(rng.random(len(days)) < 0.8, evening, early)
        time = np.where(odd, self.cal.at(days, tod), usual)
        return time, odd | ~self.org.available[e, days]

    # --- how -----------------------------------------------------------------------
    def work_types(self, e: int, k: int) -> np.ndarray:
        """``k`` work types the employee's team normally does (weighted)."""
        name = ALL_TEAMS[int(self.org.team[e])].name
        own = [i for i, w in enumerate(WORK_TYPES) if w.team == name]
        weight = np.array([WORK_TYPES[i].weight for i in own], dtype=float)
        return np.array(own)[self.rng.choice(len(own), size=k, p=weight / weight.sum())]

    def looks(self, e: int, subject: np.ndarray, days: np.ndarray, odd_share: float) -> Sessions:
        """Sessions on ``subject[i]`` on ``days[i]``, looking like ``e``'s normal work."""
        time, odd = self.times(e, days, odd_share)
        wt = self.work_types(e, len(days))
        s = sessions(self.rng, np.full(len(days), e), time, wt, subject, off_site=odd)
        own = np.flatnonzero((self.cw.assignee == e) & (self.cw.closed_day >= 0))
        if len(own) and self.rng.random() < 0.15:
            # the application logs the zaak the employee had open: a pretext, not a reason
            s.case = own[self.rng.integers(0, len(own), len(s))]
            s.wt = self.cw.case_type[s.case]
        return s

    def finish(
        self,
        builders: dict[str, Callable[[Planner], list[tuple[Sessions, bool]]]],
        counts: dict[str, int],
    ) -> tuple[Events, list[Label]]:
        """Run each scenario builder ``counts[s]`` times; render events and labels."""
        found: list[tuple[str, int, Events, bool]] = []
        for scenario in SCENARIOS:
            made = 0
            for _ in range(counts[scenario] * 4):
                if made >= counts[scenario]:
                    break
                for s, listed in builders[scenario](self):
                    events = self._render(s)
                    if len(events) and made < counts[scenario]:
                        found.append((scenario, int(s.emp[0]), events, listed))
                        made += 1
        found.sort(key=lambda f: int(f[2].time.min()))
        labels, parts = [], []
        for i, (scenario, e, events, listed) in enumerate(found):
            subjects = np.unique(events.subject[events.subject >= 0]).tolist() if listed else []
            labels.append(
                Label(
                    f"i-{i + 1:04d}",
                    scenario,
                    e,
                    subjects,
                    int(events.time.min()),
                    int(events.time.max()),
                )
            )
            parts.append(events)
        return (Events.concat(parts) if parts else Events.empty()), labels

    def _render(self, s: Sessions) -> Events:
        """Events of one incident that fall inside the window."""
        if len(s) == 0:
            return Events.empty()
        events = self.render.expand(self.rng, s)
        day = self.cal.day_of(events.time)
        return events.take(np.flatnonzero((day >= 0) & (day < self.cal.days)))

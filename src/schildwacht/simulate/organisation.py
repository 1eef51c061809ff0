"""The municipal organisation: employees, teams, contracts, rosters and workstations.

A good share of staff live in town, so their own records, their relatives and their
neighbours are in the BRP they can open: the raw material of the self, family and neighbour
scenarios and of their legitimate look-alikes. The roster (part-time days, leave, sickness,
hybrid working, the odd evening or weekend) decides who can do what on which day, so that
colleagues naturally cover for each other and leavers stop working on their last day.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from schildwacht.simulate.catalogue import SERVICE_JOBS, SERVICE_TEAM, TEAMS, Team
from schildwacht.simulate.clock import HOUR, Calendar
from schildwacht.simulate.identity import NamePools
from schildwacht.simulate.kinship import EX_PARTNER, PARTNER
from schildwacht.simulate.population import Population

ALL_TEAMS: tuple[Team, ...] = (*TEAMS, SERVICE_TEAM)
RESIDENT_SHARE = 0.45
_CITRIX = np.array([f"ctx-xa{i:02d}.gemeente.local" for i in range(1, 9)], dtype=object)


@dataclass
class Organisation:
    """Employees as parallel arrays (index = employee number) plus their roster."""

    employee_id: np.ndarray
    given_name: np.ndarray
    prefix: np.ndarray
    surname: np.ndarray
    partner_surname: np.ndarray
    citizen: np.ndarray  # citizen number of a resident employee, -1 otherwise
    team: np.ndarray  # index into ALL_TEAMS
    title: np.ndarray
    employed_from: np.ndarray  # day index
    employed_until: np.ndarray  # day index; a large number while employed
    service: np.ndarray
    available: np.ndarray  # [employee, day]: works that day
    remote: np.ndarray  # [employee, day]: works from home (Citrix or VPN)
    evening: np.ndarray  # [employee, day]: also works in the evening
    day_start: np.ndarray  # seconds after midnight the working day usually starts
    day_length: np.ndarray
    workstation: np.ndarray

    def __len__(self) -> int:
        return len(self.employee_id)

    @property
    def role(self) -> np.ndarray:
        """The workload role of each employee's team."""
        return np.array([t.role for t in ALL_TEAMS], dtype=object)[self.team]

    @property
    def handles_people(self) -> np.ndarray:
        """True for human staff whose job involves citizens' records."""
        return ~self.service & (self.role != "none")

    def members(self, team: int) -> np.ndarray:
        """Employee numbers of one team."""
        return np.flatnonzero(self.team == team)

    def clients(self, emp: np.ndarray, day: np.ndarray, off_site: np.ndarray) -> np.ndarray:
        """Workstation or remote address an action came from.

        In the office it is the employee's laptop; from home it is a Citrix server or a VPN
        address derived from (employee, day); a leaver has no laptop any more.
        """
        inside = (day >= 0) & (day < self.available.shape[1])
        dd = np.clip(day, 0, self.available.shape[1] - 1)
        home = off_site | ~inside | self.remote[emp, dd] | (day > self.employed_until[emp])
        mix = (emp.astype(np.int64) * 7919 + day.astype(np.int64) * 104_729) % 1_000_003
        out: np.ndarray = self.workstation[emp]
        away = np.flatnonzero(home)
        out[away] = _CITRIX[mix[away] % len(_CITRIX)]
        vpn = away[mix[away] % 3 == 0]
        out[vpn] = [f"10.80.{m % 64}.{m // 64 % 250 + 2}" for m in mix[vpn].tolist()]
        return out


def build_organisation(
    rng: np.random.Generator, n: int, pop: Population, cal: Calendar, pools: NamePools
) -> Organisation:
    """Staff ``n`` accounts: a few service accounts and people in every team."""
    jobs = len(SERVICE_JOBS)
    humans = n - jobs
    team = np.concatenate([_team_sizes(rng, humans), np.full(jobs, len(TEAMS))])
    service = np.arange(n) >= humans
    citizen = np.full(n, -1, dtype=np.int64)
    citizen[:humans] = _residents(rng, pop, humans)
    sex = np.where(citizen >= 0, pop.sex[np.maximum(citizen, 0)], rng.integers(0, 2, n))
    year = cal.start.year - rng.integers(20, 64, n)
    first, _ = pools.given_names(rng, sex, year)
    codes = pools.surname_codes(rng, n)
    prefix, surname = pools.prefixes[codes], pools.surnames[codes]
    resident = citizen >= 0
    first = np.where(resident, pop.first_name[np.maximum(citizen, 0)], first)
    prefix = np.where(resident, pop.prefix[np.maximum(citizen, 0)], prefix)
    surname = np.where(resident, pop.surname[np.maximum(citizen, 0)], surname)
    partner = _partner_surnames(rng, pop, citizen, sex, pools)
    titles = np.array([rng.choice(ALL_TEAMS[t].titles) for t in team.tolist()], dtype=object)
    ids = rng.choice(np.arange(1000, 100_000), size=n, replace=False)
    employee_id = np.array([f"e{i:05d}" for i in ids.tolist()], dtype=object)
    for j, job in enumerate(SERVICE_JOBS):
        employee_id[humans + j] = job.account
        first[humans + j], prefix[humans + j] = "", ""
        surname[humans + j] = job.label
        titles[humans + j] = "Serviceaccount"
    employed_from, employed_until = _contracts(rng, team, service, cal)
    roster = _roster(rng, team, service, employed_from, employed_until, cal)
    start = np.clip(rng.normal(8.1 * HOUR, 0.6 * HOUR, n), 6.5 * HOUR, 9.75 * HOUR)
    return Organisation(
        employee_id=employee_id,
        given_name=first,
        prefix=prefix,
        surname=surname,
        partner_surname=partner,
        citizen=citizen,
        team=team,
        title=titles,
        employed_from=employed_from,
        employed_until=employed_until,
        service=service,
        available=roster[0],
        remote=roster[1],
        evening=roster[2],
        day_start=start.astype(np.int64),
        day_length=rng.integers(int(7.8 * HOUR), int(9.2 * HOUR), n),
        workstation=np.array(
            [f"GEM-LT-{i:05d}" for i in rng.choice(90_000, n, replace=False).tolist()],
            dtype=object,
        ),
    )


def _team_sizes(rng: np.random.Generator, humans: int) -> np.ndarray:
    """Team of each human employee: shares by largest remainder, one or more per access team."""
    share = np.array([t.share for t in TEAMS])
    minimum = np.array([2 if t.role == "desk" else (1 if t.role != "none" else 0) for t in TEAMS])
    if minimum.sum() > humans:
        raise ValueError(f"need at least {minimum.sum() + len(SERVICE_JOBS)} employees")
    raw = share / share.sum() * humans
    size = np.maximum(np.floor(raw).astype(int), minimum)
    while size.sum() > humans:
        size[np.argmax(np.where(size > minimum, size - raw, -np.inf))] -= 1
    while size.sum() < humans:
        size[np.argmax(raw - size)] += 1
    return rng.permutation(np.repeat(np.arange(len(TEAMS)), size))


def _residents(rng: np.random.Generator, pop: Population, humans: int) -> np.ndarray:
    """Citizen number of each human employee who lives in town (-1 for commuters).

    Candidates are working-age living adults, never on the watchlist or under
    geheimhouding. A few are picked among people with an ex-partner, so that the high-risk
    ex-partner case exists even in a small town.
    """
    out = np.full(humans, -1, dtype=np.int64)
    k = round(RESIDENT_SHARE * humans)
    ok = pop.alive & (pop.age >= 20) & (pop.age <= 66) & ~pop.confidential
    ok[pop.watch] = False
    with_ex = np.unique(pop.relations.citizen[pop.relations.kind == EX_PARTNER])
    with_ex = with_ex[ok[with_ex]]
    first = rng.choice(with_ex, size=min(len(with_ex), max(3, k // 12)), replace=False)
    ok[first] = False
    rest = rng.choice(np.flatnonzero(ok), size=k - len(first), replace=False)
    out[rng.choice(humans, size=k, replace=False)] = np.concatenate([first, rest])
    return out


def _partner_surnames(
    rng: np.random.Generator, pop: Population, citizen: np.ndarray, sex: np.ndarray,
    pools: NamePools,
) -> np.ndarray:  # fmt: skip
    """Name used through a partner: some married women use their partner's surname."""
    out = np.full(len(citizen), "", dtype=object)
    a, b, kind = pop.relations.pairs()
    partner_of = dict(zip(a[kind == PARTNER].tolist(), b[kind == PARTNER].tolist(), strict=False))
    uses = (sex == 0) & (rng.random(len(citizen)) < 0.25)
    for e in np.flatnonzero(uses).tolist():
        c = int(citizen[e])
        if c >= 0 and c in partner_of:
            p = partner_of[c]
            out[e] = f"{pop.prefix[p]} {pop.surname[p]}".strip()
        elif c < 0 and rng.random() < 0.6:
            code = int(pools.surname_codes(rng, 1)[0])
            out[e] = f"{pools.prefixes[code]} {pools.surnames[code]}".strip()
    return out


def _contracts(
    rng: np.random.Generator, team: np.ndarray, service: np.ndarray, cal: Calendar
) -> tuple[np.ndarray, np.ndarray]:
    """Employment dates as day indices: most staff for years, a few joiners and leavers.

    About 3% leave during the window and 1.5% left before it (their accounts may still
    exist). At least two leavers work with citizens' records, so the leaver scenario can
    always be injected.
    """
    n, days = len(team), cal.days
    never = np.iinfo(np.int64).max // 4
    employed_from = -rng.integers(30, 30 * 365, n)
    humans = np.flatnonzero(~service)
    joiners = rng.choice(humans, size=max(1, round(0.02 * len(humans))), replace=False)
    employed_from[joiners] = rng.integers(1, max(2, days - 1), len(joiners))
    employed_until = np.full(n, never, dtype=np.int64)
    access = humans[np.array([ALL_TEAMS[t].role != "none" for t in team[humans]])]
    stayers = np.setdiff1d(access, joiners)
    forced = rng.choice(stayers, size=2, replace=False)
    others = np.setdiff1d(np.setdiff1d(humans, joiners), forced)
    leave_now = rng.choice(others, size=max(1, round(0.03 * len(humans))), replace=False)
    left = rng.choice(np.setdiff1d(others, leave_now), size=max(1, round(0.015 * len(humans))),
                      replace=False)  # fmt: skip
    leavers = np.concatenate([forced, leave_now])
    employed_until[leavers] = rng.integers(1, max(2, days - 3), len(leavers))
    employed_until[left] = -rng.integers(10, 200, len(left))
    employed_from[left] = np.minimum(employed_from[left], employed_until[left] - 100)
    return employed_from, employed_until


def _roster(
    rng: np.random.Generator,
    team: np.ndarray,
    service: np.ndarray,
    employed_from: np.ndarray,
    employed_until: np.ndarray,
    cal: Calendar,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Who works which day, from home or not, and with evening overtime.

    Part-timers have fixed days off; leave comes in blocks of a week or two; about 3% of
    days are sick days; a few people catch up on a weekend. Service accounts run daily.
    """
    n, days = len(team), cal.days
    day = np.arange(days)
    workday = cal.workday(day)
    weekday = cal.weekday(day)
    fte = rng.choice(3, size=n, p=[0.55, 0.3, 0.15])
    off1, off2 = rng.integers(0, 5, n), rng.integers(0, 5, n)
    off = (weekday[None, :] == off1[:, None]) & (fte[:, None] >= 1)
    off |= (weekday[None, :] == off2[:, None]) & (fte[:, None] >= 2)
    available = workday[None, :] & ~off
    blocks = rng.poisson(days / 60 * 1.1, n)
    for e in np.flatnonzero(blocks).tolist():
        for _ in range(int(blocks[e])):
            first = int(rng.integers(-7, days))
            available[e, max(0, first) : max(0, first + int(rng.integers(5, 15)))] = False
    available &= rng.random((n, days)) >= 0.03
    role = np.array([ALL_TEAMS[t].role for t in team.tolist()], dtype=object)
    weekend = ~cal.workday(day)[None, :] & (rng.random((n, days)) < 0.015)
    available |= weekend & (role == "cases")[:, None]
    employed = (day[None, :] >= employed_from[:, None]) & (day[None, :] <= employed_until[:, None])
    available &= employed
    available[service] = True
    office_role = ~np.isin(role, ("desk", "service"))
    remote = office_role[:, None] & (rng.random((n, days)) < 0.35)
    evening = available & office_role[:, None] & (rng.random((n, days)) < 0.05)
    return available, remote | ~workday[None, :], evening

"""One builder per misuse scenario of DETECTION.md.

Each builder picks a perpetrator and targets that fit the scenario and returns the
incident's sessions (and whether its label lists subjects). Targets never have a work
reason on record for the perpetrator, and, except where the scenario is about them, are
ordinary residents (not the perpetrator's circle, colleagues, confidential or watchlist
people), so that the label's scenario is the primary one.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from schildwacht.contract import ACTIONS
from schildwacht.simulate.catalogue import SEARCH_KEYS
from schildwacht.simulate.incidents import Planner
from schildwacht.simulate.kinship import EX_PARTNER
from schildwacht.simulate.organisation import ALL_TEAMS
from schildwacht.simulate.sessions import CATEGORIES, Sessions, sessions

Built = list[tuple[Sessions, bool]]
_KEY = {k: i for i, k in enumerate(SEARCH_KEYS)}


def _repeat_look(p: Planner, e: int, target: int, looks: int, span: int, odd: float) -> Sessions:
    """``looks`` sessions on one person, on different days within ``span`` days."""
    days = p.days(e, looks, span)
    return p.looks(e, np.full(len(days), target), days, odd)


def _fresh(p: Planner, e: int, people: np.ndarray) -> np.ndarray:
    """``people`` minus anyone the employee has a work reason for."""
    return p.without_reason(e, people)


def unexplained_access(p: Planner) -> Built:
    """One or two unrelated people looked at once or twice, no work reason."""
    e = p.perpetrator(p.staff)
    if e is None:
        return []
    parts = [
        _repeat_look(p, e, int(t), int(p.rng.integers(1, 3)), 10, 0.2)
        for t in p.pick(p.unrelated(e), int(p.rng.integers(1, 3)))
    ]
    return [(Sessions.concat(parts), True)] if parts else []


def self_access(p: Planner) -> Built:
    """The employee opens (sometimes prints or edits) their own record."""
    residents = p.staff[p.org.citizen[p.staff] >= 0]
    e = p.perpetrator(residents)
    if e is None or len(_fresh(p, e, p.org.citizen[[e]])) == 0:
        return []
    return [(_repeat_look(p, e, int(p.org.citizen[e]), int(p.rng.integers(1, 4)), 14, 0.2), True)]


def family(p: Planner) -> Built:
    """A partner, parent or child; the first family incident is an ex-partner if possible."""
    return (_family(p, only_ex=True) if p.first("ex-partner") else []) or _family(p, only_ex=False)


def _family(p: Planner, only_ex: bool) -> Built:
    a, b, kind = p.pop.relations.pairs()
    residents = p.staff[p.org.citizen[p.staff] >= 0]
    for e in p.candidates(residents):
        mine = (a == p.org.citizen[e]) & p.pop.alive[b]
        if only_ex:
            mine &= kind == EX_PARTNER
        relatives = _fresh(p, e, b[mine])
        if len(relatives) == 0:
            continue
        p.used.add(e)
        target = int(p.pick(relatives)[0])
        ex = bool(np.any((a == p.org.citizen[e]) & (b == target) & (kind == EX_PARTNER)))
        if ex:  # the high-risk case: repeated, often the address
            s = _repeat_look(p, e, target, int(p.rng.integers(2, 6)), 21, 0.3)
            address = p.rng.random(len(s)) < 0.5
            s.categories[address] = CATEGORIES.index("adres")
        else:
            s = _repeat_look(p, e, target, int(p.rng.integers(1, 3)), 14, 0.2)
        return [(s, True)]
    return []


def neighbour(p: Planner) -> Built:
    """Someone at the employee's postcode: a near neighbour, sometimes a housemate."""
    pop = p.pop
    a, b, _ = pop.relations.pairs()
    residents = p.staff[p.org.citizen[p.staff] >= 0]
    for e in p.candidates(residents):
        c = int(p.org.citizen[e])
        near = np.flatnonzero((pop.postcode == pop.postcode[c]) & pop.alive & (pop.age >= 16))
        near = near[(pop.household[near] != pop.household[c]) & ~np.isin(near, b[a == c])]
        near = _fresh(p, e, near)
        if len(near) == 0:
            continue
        p.used.add(e)
        housemates = near[pop.address[near] == pop.address[c]]
        target = int(p.pick(housemates if len(housemates) and p.rng.random() < 0.5 else near)[0])
        return [(_repeat_look(p, e, target, int(p.rng.integers(1, 4)), 14, 0.25), True)]
    return []


def coworker(p: Planner) -> Built:
    """A colleague's record, usually someone in the same department (gossip, envy)."""
    org = p.org
    department = np.array([t.department for t in ALL_TEAMS], dtype=object)[org.team]
    e = p.perpetrator(p.staff[department[p.staff] != "HR"])
    if e is None:
        return []
    others = np.flatnonzero((org.citizen >= 0) & (np.arange(len(org)) != e))
    same = others[department[others] == department[e]]
    chosen = same if len(same) and p.rng.random() < 0.6 else others
    people = np.setdiff1d(_fresh(p, e, org.citizen[chosen]), p.circle(e))
    people = people[p.pop.alive[people]]
    if len(people) == 0:
        return []
    return [(_repeat_look(p, e, int(p.pick(people)[0]), int(p.rng.integers(1, 4)), 14, 0.2), True)]


def watchlist(p: Planner) -> Built:
    """A public figure or official; the first time, several staff look on the same day."""
    pop = p.pop
    famous = pop.watch[pop.alive[pop.watch]]
    crowd = int(p.rng.integers(2, 4)) if p.first("watchlist crowd") else 1
    target = int(p.pick(famous)[0])
    day: np.ndarray | None = None
    out: Built = []
    for _ in range(crowd * 3):
        if len(out) >= crowd:
            break
        e = p.perpetrator(p.staff)
        if e is None or len(_fresh(p, e, np.array([target]))) == 0:
            continue
        if day is None:
            s = _repeat_look(p, e, target, int(p.rng.integers(1, 3)), 7, 0.2)
            day = p.cal.day_of(s.time[:1])
        else:
            s = p.looks(e, np.array([target]), day, 0.3)
        out.append((s, True))
    return out


def confidential(p: Planner) -> Built:
    """A person with geheimhouding, no relation and no work reason."""
    e = p.perpetrator(p.staff)
    if e is None:
        return []
    pool = np.flatnonzero(p.pop.confidential & p.pop.alive)
    people = p.unrelated(e, np.setdiff1d(pool, p.pop.watch))
    if len(people) == 0:
        return []
    return [(_repeat_look(p, e, int(p.pick(people)[0]), int(p.rng.integers(1, 4)), 10, 0.25), True)]


def address_harvest(p: Planner) -> Built:
    """Addresses of dozens of unrelated people looked up over days, often after hours."""
    rng = p.rng
    e = p.perpetrator(p.staff)
    if e is None:
        return []
    targets = p.pick(p.unrelated(e), int(rng.integers(12, 41)))
    days = p.days(e, int(rng.integers(4, 11)), int(rng.integers(7, 22)))
    when = np.sort(days[rng.integers(0, len(days), len(targets))])
    s = p.looks(e, targets, when, 0.4)
    s.search = rng.choice(
        [_KEY["bsn"], _KEY["name"], _KEY["postcode_nr"]], len(s), p=[0.3, 0.35, 0.35]
    )
    s.events[:] = 2 + (rng.random(len(s)) < 0.2)
    s.categories = np.where(
        rng.random(len(s)) < 0.6, CATEGORIES.index("adres"), CATEGORIES.index("basis|adres")
    )
    s.action[:] = ACTIONS.index("view")
    return [(s, True)]


def name_browsing(p: Planner) -> Built:
    """Name searches (a first name and part of a surname) followed by views, no case."""
    rng, pop = p.rng, p.pop
    e = p.perpetrator(p.staff)
    if e is None:
        return []
    young = pop.alive & (pop.age >= 18) & (pop.age <= 45)
    pool = p.work.check_pool[young[p.work.check_pool]]  # sorted, as intersect1d gave, in O(n)
    targets = p.pick(p.unrelated(e, pool), int(rng.integers(2, 7)))
    days = p.days(e, int(rng.integers(2, 6)), 21)
    when = np.sort(days[rng.integers(0, len(days), len(targets))])
    s = p.looks(e, targets, when, 0.3)
    terms, counts = zip(*(_browse_term(p, int(t)) for t in targets), strict=True)
    s.search[:] = _KEY["browse"]
    s.terms = np.array(terms, dtype=object)
    s.result = np.array(counts, dtype=np.int64)
    s.events = 2 + rng.integers(0, 3, len(s))
    s.action[:] = ACTIONS.index("view")
    return [(s, True)]


def _browse_term(p: Planner, c: int) -> tuple[str, int]:
    """What a browsing employee types to find ``c`` ("sanne de vr"), and how many match."""
    pop = p.pop
    part = str(pop.surname[c])[: int(p.rng.integers(1, 4))]
    same = np.flatnonzero(pop.first_name == pop.first_name[c])
    hits = sum(str(s).startswith(part) for s in pop.surname[same])
    prefix = f"{pop.prefix[c]} " if pop.prefix[c] and p.rng.random() < 0.5 else ""
    term = f"{pop.first_name[c]} {prefix}{part}"
    return (term.lower() if p.rng.random() < 0.5 else term), max(1, hits)


def bulk(p: Planner) -> Built:
    """An export burst or hours of scripted viewing, far above any person's normal volume."""
    rng = p.rng
    e = p.perpetrator(p.staff)
    if e is None:
        return []
    export = rng.random() < 0.6
    k = int(rng.integers(200, 800) if export else rng.integers(150, 500))
    pool = p.unrelated(e)
    targets = p.pick(pool, min(k, max(60, len(pool) // 10)))  # a burst, not the whole town
    day = p.days(e, 1, 1)
    start, odd = p.times(e, day, 0.3)
    time = start[0] + np.cumsum(rng.exponential(1.5 if export else 20.0, len(targets)))
    wt = p.work_types(e, len(targets))
    emp = np.full(len(targets), e)
    s = sessions(
        rng, emp, time.astype(np.int64), wt, targets, off_site=np.repeat(odd, len(targets))
    )
    s.events[:] = 1
    s.search[:] = -2
    verb = ("export" if rng.random() < 0.8 else "print") if export else "view"
    s.action[:] = ACTIONS.index(verb)
    return [(s, False)]


def serial(p: Planner) -> Built:
    """The same person again and again over weeks; each look harmless on its own."""
    e = p.perpetrator(p.staff)
    if e is None:
        return []
    target = p.pick(p.unrelated(e))
    days = p.days(e, int(p.rng.integers(5, 11)), p.cal.days)
    s = p.looks(e, np.repeat(target, len(days)), days, 0.15)
    s.events = 1 + p.rng.integers(0, 2, len(s))
    return [(s, True)]


def leaver(p: Planner) -> Built:
    """An account used after its owner's last working day (or woken up long after)."""
    org = p.org
    gone = np.flatnonzero(org.handles_people & (org.employed_until < p.cal.days - 1))
    e = p.perpetrator(gone)
    if e is None:
        return []
    days = p.days(e, int(p.rng.integers(1, 4)), 10, after=int(org.employed_until[e]))
    if len(days) == 0:
        return []
    targets = p.pick(p.unrelated(e), int(p.rng.integers(1, 5)))
    when = np.sort(days[p.rng.integers(0, len(days), len(targets))])
    return [(p.looks(e, targets, when, 0.5), True)]


BUILDERS: dict[str, Callable[[Planner], Built]] = {
    "unexplained_access": unexplained_access,
    "self": self_access,
    "family": family,
    "neighbour": neighbour,
    "coworker": coworker,
    "watchlist": watchlist,
    "confidential": confidential,
    "address_harvest": address_harvest,
    "name_browsing": name_browsing,
    "bulk": bulk,
    "serial": serial,
    "leaver": leaver,
}

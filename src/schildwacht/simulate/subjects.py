"""Who a piece of work is about: the client populations of each work type.

A Wmo case is about an elderly resident, a Jeugdhulp case about a child and its parents, an
address investigation about everyone registered at one address. Drawing subjects from the
right population, and expanding a client to the people a case really lists, keeps the cases
table faithful to how municipal zaken look.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np

from schildwacht.simulate.clock import Calendar
from schildwacht.simulate.population import Population

_EXPAND = {
    "household_adult": "adults",
    "household": "all",
    "child_family": "adults",
    "pupil_family": "adults",
    "newborn": "adults",
    "address": "address",
}
"""How a primary client expands into the subjects of one case."""


class SubjectPools:
    """Candidate clients per population name, and expansion to a case's subjects."""

    def __init__(self, pop: Population, cal: Calendar, colleagues: np.ndarray) -> None:
        self.pop = pop
        alive, age = pop.alive, pop.age
        recent = pop.deceased >= np.datetime64(cal.start - timedelta(days=60))
        official = pop.watch[np.isin(pop.watch_category, ("official", "politician"))]
        adult = alive & (age >= 18)
        self.pools: dict[str, np.ndarray] = {
            "anyone": np.flatnonzero(alive),
            "adult": np.flatnonzero(adult),
            "working_age": np.flatnonzero(adult & (age <= 66)),
            "household_adult": np.flatnonzero(adult & (age <= 70)),
            "household": np.flatnonzero(adult),
            "elderly": np.flatnonzero(alive & (age >= 70)),
            "child_family": np.flatnonzero(alive & (age < 18)),
            "pupil_family": np.flatnonzero(alive & (age >= 5) & (age < 18)),
            "newborn": np.flatnonzero(alive & (age < 1)),
            "deceased": np.flatnonzero(recent),
            "confidential": np.flatnonzero(alive & pop.confidential),
            "address": np.flatnonzero(adult),
            "colleague": colleagues[alive[colleagues]] if len(colleagues) else colleagues,
            "official": official if len(official) else pop.watch,
        }
        self.by_address = np.argsort(pop.address, kind="stable")
        sorted_address = pop.address[self.by_address]
        self.address_start = np.searchsorted(sorted_address, pop.address)
        self.address_count = np.searchsorted(sorted_address, pop.address, side="right")
        self.address_count -= self.address_start

    def draw(self, rng: np.random.Generator, kind: str, n: int) -> np.ndarray:
        """``n`` primary clients from population ``kind`` (adults when it is empty)."""
        pool = self.pools.get(kind, self.pools["adult"])
        if len(pool) == 0:
            pool = self.pools["adult"]
        return pool[rng.integers(0, len(pool), n)]

    def expand(self, kind: str, primary: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Subjects of each case: (case position, citizen), primary client first."""
        mode = _EXPAND.get(kind)
        first = (np.arange(len(primary)), primary)
        if mode is None or len(primary) == 0:
            return first
        pop = self.pop
        if mode == "address":
            size = np.minimum(self.address_count[primary], 8)
            case = np.repeat(np.arange(len(primary)), size)
            offset = np.arange(len(case)) - np.repeat(np.cumsum(size) - size, size)
            member = self.by_address[np.repeat(self.address_start[primary], size) + offset]
        else:
            h = pop.household[primary]
            size = np.minimum(pop.hh_size[h], 7)
            case = np.repeat(np.arange(len(primary)), size)
            offset = np.arange(len(case)) - np.repeat(np.cumsum(size) - size, size)
            member = np.repeat(pop.hh_start[h], size) + offset
        keep = (member != primary[case]) & pop.alive[member]
        if mode == "adults":
            keep &= pop.age[member] >= 18
        case = np.concatenate([first[0], case[keep]])
        member = np.concatenate([first[1], member[keep]])
        order = np.argsort(case, kind="stable")
        return case[order], member[order]

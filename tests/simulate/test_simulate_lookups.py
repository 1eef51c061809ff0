"""The simulator's fast lookups give what the plain whole-population scans gave.

They exist so that a town of 10,000 staff and 800,000 residents can be simulated at all;
the output of every town must stay the same, so each is checked against the scan it replaced.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from schildwacht.simulate.casework import build_casework
from schildwacht.simulate.clock import Calendar
from schildwacht.simulate.identity import NamePools
from schildwacht.simulate.incidents import Planner
from schildwacht.simulate.organisation import build_organisation
from schildwacht.simulate.population import Population, build_population
from schildwacht.simulate.sessions import Renderer
from schildwacht.simulate.visits import _adults_by_postcode
from schildwacht.simulate.workload import Workload

Town = tuple[Population, Planner]


@pytest.fixture(scope="module")
def town() -> Town:
    """A small town built up to the incident planner, as ``simulate`` builds it."""
    seeds = np.random.SeedSequence(11).spawn(4)
    rngs = [np.random.Generator(np.random.PCG64(s)) for s in seeds]
    start, days = date(2026, 1, 5), 20
    cal = Calendar(start, days)
    pools = NamePools.from_faker(11)
    pop = build_population(rngs[0], 4000, start, days, pools)
    org = build_organisation(rngs[1], 120, pop, cal, pools)
    cw = build_casework(rngs[2], pop, org, cal)
    render = Renderer(pop, org, cal, cw.sub_start, cw.sub_count, cw.subject)
    work = Workload(pop, org, cal, cw, render)
    return pop, Planner(rngs[3], pop, org, cal, cw, work, render)


def test_adults_by_postcode_equals_a_scan_of_the_population(town: Town) -> None:
    pop = town[0]
    adults_at = _adults_by_postcode(pop)
    for postcode in np.unique(pop.postcode)[::7].tolist():
        scan = np.flatnonzero((pop.postcode == postcode) & pop.alive & (pop.age >= 18))
        assert adults_at(postcode).tolist() == scan.tolist(), postcode
    assert len(adults_at("0000AA")) == 0  # a postcode nobody lives at


def test_without_reason_equals_setdiff_with_the_work_reasons(town: Town) -> None:
    pop, planner = town
    rng = np.random.default_rng(3)
    for e in planner.staff[:25].tolist():
        people = rng.integers(0, len(pop), 300)
        expected = np.setdiff1d(people, planner.explained(e))
        assert planner.without_reason(e, people).tolist() == expected.tolist()
    assert len(planner.explained(int(planner.staff[0]))) > 0  # the check is not vacuous


def test_work_reasons_are_the_same_after_leaving_the_cache(town: Town) -> None:
    planner = town[1]
    first = int(planner.staff[0])
    before = planner.explained(first).copy()
    for e in planner.staff[1 : Planner.EXPLAINED_CACHE + 5].tolist():
        planner.explained(e)
    assert first not in planner._explained  # evicted: the cache stays bounded
    assert planner.explained(first).tolist() == before.tolist()

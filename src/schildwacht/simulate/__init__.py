"""Synthetic municipality generator (``schildwacht simulate``).

Builds a Dutch town (residents, households, BRP relations, a watchlist), its municipal
organisation (teams, rosters, service accounts, leavers), the case work and appointments
that explain legitimate access, a log of record accesses, and labelled misuse incidents of
every scenario in ``shared/domain/DETECTION.md``, written as a contract data set.
"""

from schildwacht.simulate.generate import SimulationSummary, simulate
from schildwacht.simulate.incidents import SCENARIOS

__all__ = ["SCENARIOS", "SimulationSummary", "simulate"]

"""Every scenario of DETECTION.md, one module each, in the order DETECTION.md lists them."""

from schildwacht.detect.scenarios import (
    address_harvest,
    bulk,
    confidential,
    coworker,
    family,
    leaver,
    name_browsing,
    neighbour,
    self_access,
    serial,
    unexplained_access,
    watchlist,
)
from schildwacht.detect.scenarios.base import Scenario

SCENARIOS: dict[str, Scenario] = {
    module.SCENARIO.code: module.SCENARIO
    for module in (
        unexplained_access, self_access, family, neighbour, coworker, watchlist,
        confidential, address_harvest, name_browsing, bulk, serial, leaver,
    )
}  # fmt: skip
"""Scenarios by code."""

VOLUME_SCENARIOS = ("address_harvest", "name_browsing", "bulk", "leaver")
"""Scenarios about an employee's behaviour rather than one citizen."""

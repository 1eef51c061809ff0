"""Alerts do not depend on the order an engine returns a scenario's rows in.

Found at 10 million events: Spark and DuckDB returned the two ``leaver`` rows of an account
that was used after its owner left, and had been dormant before, in different orders, and
the alert's reasons (and so its evidence hash) came out in that order.
"""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import permutations

from schildwacht.detect.model import Reason
from schildwacht.detect.scenarios.base import Assessment
from schildwacht.detect.scoring import ScoredFinding, ScoringSettings, build_alerts

WOKE = datetime(2026, 3, 2, 9, 15, tzinfo=UTC)
EVENTS = ("e-1", "e-2", "e-3")


def _leaver(code: str, points: float) -> ScoredFinding:
    reason = Reason("leaver", code, f"{code} nl", f"{code} en", points, {"events": 3})
    return ScoredFinding(
        scenario="leaver",
        version="1.0",
        employee_id="M-0042",
        subject_bsn=None,
        subjects=("123456782",),
        first_seen=WOKE,
        last_seen=WOKE,
        event_keys=EVENTS,
        assessment=Assessment(points, (reason,)),
    )


def _other_signal() -> ScoredFinding:
    reason = Reason("unexplained_access", "no_reason", "nl", "en", 30.0, {})
    return ScoredFinding(
        "unexplained_access", "1.0", "M-0042", "111222333", ("111222333",),
        WOKE, WOKE, ("e-9",), Assessment(30.0, (reason,)),
    )  # fmt: skip


def test_the_same_findings_in_any_order_give_identical_alerts() -> None:
    findings = [_leaver("after_leaving", 85.0), _leaver("dormant", 25.0), _other_signal()]
    results = [build_alerts(list(order), ScoringSettings()) for order in permutations(findings)]
    leaver = [a for a in results[0] if a.scenarios == ("leaver",)]
    assert len(leaver) == 1
    assert [r.code for r in leaver[0].reasons][:2] == ["after_leaving", "dormant"]
    for alerts in results[1:]:
        assert alerts == results[0]

"""A large town is explained and paired in parts of citizens; the alerts stay the same.

The parts exist for memory (100 million events at once spilled over 30 GB); they must not
change a single finding. Here the test world, split into many parts, is compared with the
same world computed in one.
"""

from __future__ import annotations

from collections.abc import Callable

import ibis.expr.types as ir
import pytest

from schildwacht.config import Settings
from schildwacht.detect import engine, evidence
from schildwacht.detect.context import DetectionContext
from schildwacht.detect.runner import detection_params
from schildwacht.detect.scoring import ScoredFinding, ScoringSettings
from tests.detect.conftest import Detected


def _sorted(findings: list[ScoredFinding]) -> list[ScoredFinding]:
    return sorted(findings, key=repr)


def test_many_parts_give_the_same_findings_and_alerts(
    detected: Detected, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(evidence, "PART_EVENTS", 300)  # the world is small: force parts
    seen: list[int] = []
    subject_parts = evidence.subject_parts

    def counting(ctx: DetectionContext) -> list[Callable[[ir.Table], ir.Table]]:
        parts = subject_parts(ctx)
        seen.append(len(parts))
        return parts

    monkeypatch.setattr(evidence, "subject_parts", counting)
    output = engine.compute(detected.store, detection_params(Settings()), ScoringSettings())
    assert seen and seen[0] > 3, seen  # really split
    assert output.alerts == detected.output.alerts
    assert _sorted(output.findings) == _sorted(detected.output.findings)

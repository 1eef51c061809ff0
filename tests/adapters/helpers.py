"""Helpers shared by the adapter tests."""

from __future__ import annotations

import json
from pathlib import Path

from schildwacht.ingest.adapters.base import AdapterOutput, SourceRecord

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "adapters"


def by_event_id(out: AdapterOutput) -> dict[str, SourceRecord]:
    """Emitted event rows keyed by event_id (asserting that ids are unique within the run)."""
    rows = {str(r.values["event_id"]): r for r in out.records}
    assert len(rows) == len(out.records), "duplicate event_id within one adapter run"
    return rows


def accounted(out: AdapterOutput) -> int:
    """Rows + rejects + auxiliary units: must equal the input records of the run."""
    return len(out.records) + len(out.rejects) + sum(out.auxiliary.values())


def json_lines(path: Path) -> list[object]:
    """Each line of a JSONL file parsed independently of the code under test; None if broken."""
    values: list[object] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            values.append(json.loads(line))
        except json.JSONDecodeError:
            values.append(None)
    return values


def reject_reasons(out: AdapterOutput) -> dict[str, str]:
    """Reject reasons keyed by locator."""
    return {r.locator: r.reason for r in out.rejects}

"""The contract's alert export (``CONTRACT.md``, section *alerts*), as JSON Lines or CSV.

Exactly the contract's fields, in its order: ``summary`` is the Dutch sentence (the export is
for Dutch privacy officers and evaluation tools); timestamps are ISO 8601 in Dutch local time
with their offset, so they are exact and readable at once; in CSV, lists are ``|``-separated.
The file appears whole or not at all (written beside the target, then renamed).
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from schildwacht.app.alerts.models import Alert
from schildwacht.contract import LIST_SEPARATOR

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

EXPORT_FIELDS: tuple[str, ...] = (
    "alert_id",
    "employee_id",
    "subject_bsns",
    "scenarios",
    "score",
    "first_seen",
    "last_seen",
    "event_ids",
    "summary",
)
"""The contract's alert fields, in the contract's order."""


def export_timestamp(value: datetime) -> str:
    """ISO 8601 with offset, in Europe/Amsterdam local time (``2026-03-02T14:05:00+01:00``)."""
    return value.astimezone(AMSTERDAM).isoformat()


def export_record(alert: Alert) -> dict[str, Any]:
    """One alert as the contract's JSON object."""
    return {
        "alert_id": alert.alert_id,
        "employee_id": alert.employee_id,
        "subject_bsns": list(alert.subject_bsns),
        "scenarios": list(alert.scenarios),
        "score": round(alert.score, 2),
        "first_seen": export_timestamp(alert.first_seen),
        "last_seen": export_timestamp(alert.last_seen),
        "event_ids": list(alert.event_ids),
        "summary": alert.summary_nl,
    }


def _csv_row(record: dict[str, Any]) -> list[str]:
    row: list[str] = []
    for name in EXPORT_FIELDS:
        value = record[name]
        row.append(LIST_SEPARATOR.join(value) if isinstance(value, list) else str(value))
    return row


def write_export(alerts: Sequence[Alert], *, fmt: str, output: Path) -> None:
    """Write ``alerts`` (already in export order) to ``output`` as ``jsonl`` or ``csv``."""
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(f".{output.name}.tmp")
    with tmp.open("w", encoding="utf-8", newline="") as handle:
        if fmt == "jsonl":
            for alert in alerts:
                handle.write(json.dumps(export_record(alert), ensure_ascii=False) + "\n")
        else:
            writer = csv.writer(handle)  # RFC 4180: quoted where needed, CRLF line ends
            writer.writerow(EXPORT_FIELDS)
            writer.writerows(_csv_row(export_record(alert)) for alert in alerts)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, output)

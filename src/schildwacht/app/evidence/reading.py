"""Reading the event store for one alert: which files, which settings, which explanation.

Detection explains every access in the municipality at once; the alert page needs a few
hundred accesses of one employee. The explanation of an access depends only on that access
and the context tables (cases, appointments, staff), so explaining a narrowed set of events
with detection's own stage gives exactly detection's answer, in a fraction of the time.
Events are narrowed twice: by the store's date partitions (files outside the period are
never opened) and by a filter on the employee that DuckDB pushes into the Parquet scan
(``queries.Reader.bind_events``).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir
import pyarrow as pa

from schildwacht.config import Settings, load_settings
from schildwacht.contract import TABLES
from schildwacht.detect.context import TIMESTAMP, DetectionContext
from schildwacht.detect.explanation import accesses, explained
from schildwacht.detect.runner import detection_params
from schildwacht.store.store import Store

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
PARTITION_PREFIX = "date="
CONTEXT_TABLES = ("employees", "cases", "appointments", "citizens", "relations", "watchlist")

_CONTRACT_TYPES: dict[str, dt.DataType] = {
    "string": dt.string, "bsn": dt.string, "enum": dt.string, "timestamp": TIMESTAMP,
    "date": dt.date, "list": dt.Array(dt.string), "integer": dt.int64, "boolean": dt.boolean,
}  # fmt: skip
"""The contract's column types as ``detect.context._empty`` maps them."""


def empty_table(table: str) -> pa.Table:
    """An empty table with the contract's schema (as ``detect.context._empty`` builds it).

    Stored events also carry their partition day (``date``), which detection reads; an
    empty stand-in has it too, so the same queries run on it.
    """
    columns = {c.name: _CONTRACT_TYPES[c.type.value] for c in TABLES[table].columns}
    if table == "events":
        columns["date"] = dt.date
    return ibis.schema(columns).to_pyarrow().empty_table()


def local_day(moment: datetime) -> date:
    """The Amsterdam calendar day of ``moment``; a naive value is Amsterdam local time,
    as the contract reads timestamps without an offset."""
    if moment.tzinfo is None:
        return moment.date()
    return moment.astimezone(AMSTERDAM).date()


def _partition_day(path: Path) -> date | None:
    """The day of an event file's ``date=YYYY-MM-DD`` folder; None if it has no such folder."""
    name = path.parent.name
    if not name.startswith(PARTITION_PREFIX):
        return None
    try:
        return date.fromisoformat(name.removeprefix(PARTITION_PREFIX))
    except ValueError:
        return None


def stored_files(store: Store) -> dict[str, list[str]]:
    """The live files of every table, absolute, from a single read of the manifest."""
    tables = store.manifest.tables
    return {name: [str(store.root / rel) for rel in files] for name, files in tables.items()}


def event_files(store: Store, first: date | None = None, last: date | None = None) -> list[str]:
    """Live event files whose partition day lies in ``[first, last]`` (open ends allowed)."""
    return in_period(stored_files(store).get("events", []), first, last)


def in_period(files: list[str], first: date | None, last: date | None) -> list[str]:
    """The event files of ``files`` whose partition day lies in ``[first, last]`` (open
    ends allowed).

    A file outside the store's partition layout is always kept: skipping it could hide
    evidence, reading it only costs time.
    """
    chosen = []
    for file in files:
        day = _partition_day(Path(file))
        inside = day is None or ((first is None or day >= first) and (last is None or day <= last))
        if inside:
            chosen.append(file)
    return chosen


def explanation_params(store: Store, settings: Settings | None) -> dict[str, Any]:
    """The parameters detection ran with, so statuses shown here match its alerts."""
    return detection_params(settings or load_settings(store.root))


def explained_accesses(ctx: DetectionContext) -> ir.Table:
    """``ctx.events`` explained by detection's own stage, batch accounts skipped as it does."""
    every = accesses(ctx)
    return explained(ctx, every, only=~every.service_account)

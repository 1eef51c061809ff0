"""Reading the event store for one alert: a short-lived connection and a narrowed context.

Detection explains every access in the municipality at once; the alert page needs a few
hundred accesses of one employee. The explanation of an access depends only on that access
and the context tables (cases, appointments, staff), so explaining a narrowed set of events
with detection's own stage gives exactly detection's answer, in a fraction of the time.
Events are narrowed twice: by the store's date partitions (files outside the period are
never opened) and by an Ibis filter on the employee.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import ibis
import ibis.expr.types as ir

from schildwacht.config import Settings, load_settings
from schildwacht.detect.context import DetectionContext, _empty
from schildwacht.detect.explanation import accesses, explained
from schildwacht.detect.runner import detection_params
from schildwacht.store.sql import run as run_sql
from schildwacht.store.store import Store

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
PARTITION_PREFIX = "date="
CONTEXT_TABLES = ("employees", "cases", "appointments", "citizens", "relations", "watchlist")


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


def event_files(store: Store, first: date | None = None, last: date | None = None) -> list[str]:
    """Live event files whose partition day lies in ``[first, last]`` (open ends allowed).

    A file outside the store's partition layout is always kept: skipping it could hide
    evidence, reading it only costs time.
    """
    chosen = []
    for path in store.files("events"):
        day = _partition_day(path)
        inside = day is None or ((first is None or day >= first) and (last is None or day <= last))
        if inside:
            chosen.append(str(path))
    return chosen


@contextmanager
def open_backend(store: Store) -> Iterator[ibis.BaseBackend]:
    """An Ibis DuckDB backend on the store in Dutch local time, closed afterwards.

    Same set-up as detection's ``engine.connect`` but with the store's default (ingest)
    memory limit: a page request reads little, and the web app may serve several at once.
    """
    con = store.connect()
    try:
        backend = ibis.duckdb.from_connection(con)
        run_sql(con, "SET TimeZone = 'Europe/Amsterdam'")  # Ibis sets UTC; days are Dutch days
        yield backend
    finally:
        con.close()


def read_table(backend: ibis.BaseBackend, store: Store, name: str) -> ir.Table:
    """A stored table, or an empty one with the contract's schema when nobody delivered it."""
    files = [str(p) for p in store.files(name)]
    return backend.read_parquet(files) if files else _empty(backend, name)


def explanation_params(store: Store, settings: Settings | None) -> dict[str, Any]:
    """The parameters detection ran with, so statuses shown here match its alerts."""
    return detection_params(settings or load_settings(store.root))


def context(
    backend: ibis.BaseBackend,
    store: Store,
    events: ir.Table | None = None,
    params: dict[str, Any] | None = None,
) -> DetectionContext:
    """Detection's context over the store, with ``events`` narrowed by the caller."""
    tables = {name: read_table(backend, store, name) for name in CONTEXT_TABLES}
    return DetectionContext(
        con=backend,
        events=events if events is not None else _empty(backend, "events"),
        params=params or {},
        **tables,
    )


def employee_events(
    backend: ibis.BaseBackend,
    files: list[str],
    employee_id: str,
    first: date | None = None,
    last: date | None = None,
) -> ir.Table:
    """The employee's events stored in ``files``, on Amsterdam days ``[first, last]``."""
    ev = backend.read_parquet(files)
    ev = ev.filter(ev.employee_id == employee_id)
    if first is not None:
        ev = ev.filter(ev.date >= first)
    if last is not None:
        ev = ev.filter(ev.date <= last)
    return ev


def explained_accesses(ctx: DetectionContext) -> ir.Table:
    """``ctx.events`` explained by detection's own stage, batch accounts skipped as it does."""
    every = accesses(ctx)
    return explained(ctx, every, only=~every.service_account)

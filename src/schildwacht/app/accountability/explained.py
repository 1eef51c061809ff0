"""The share of accesses explained by work, for one reporting period.

The same definition as ``schildwacht explain-stats`` (``detect.stats``): every access to a
citizen (an event with a ``subject_bsn``), explained by detection's own explanation stage
(``detect.explanation``, a case or appointment at its time) with the settings detection ran
with. Explaining every access the store holds would take as long as a detection run, too
slow for a web page; the explanation of an access depends only on that access and the
context tables, so the period's events are explained on their own: only the event files of
the period's date partitions (Amsterdam days) are read, and the period's bounds are applied
again in the query. The context tables (cases, appointments, staff) are read whole, as
detection reads them, so an access is explained exactly as detection explained it.

When the store holds no events for the period, or no store is attached, the share is
unknown (``share`` is None), never 0 %: nothing was measured, and a 0 % would read as
"nothing was explained".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ibis

from schildwacht.app.accountability.period import Period
from schildwacht.app.evidence.reading import event_files
from schildwacht.detect.context import load_context
from schildwacht.detect.explanation import accesses, explained
from schildwacht.errors import UserError
from schildwacht.store.sql import run as run_sql
from schildwacht.store.store import Store

UNKNOWN_DEPARTMENT = "(onbekend)"


@dataclass(frozen=True)
class DepartmentShare:
    department: str
    accesses: int
    explained: int

    @property
    def share(self) -> float | None:
        return self.explained / self.accesses if self.accesses else None


@dataclass(frozen=True)
class ExplainedShare:
    """Accesses to citizens in the period and how many were explained by work.

    ``share`` is None when nothing was measured; ``missing`` then says why, in Dutch.
    """

    accesses: int
    explained: int
    by_department: tuple[DepartmentShare, ...] = ()
    missing: str | None = None

    @property
    def share(self) -> float | None:
        return self.explained / self.accesses if self.accesses else None

    @property
    def unexplained(self) -> int:
        return self.accesses - self.explained


def unknown(reason: str) -> ExplainedShare:
    return ExplainedShare(accesses=0, explained=0, missing=reason)


def explained_share(store: Store | None, period: Period, params: dict[str, Any]) -> ExplainedShare:
    """The period's explained share, overall and per department (largest first)."""
    if store is None or not store.exists():
        return unknown("er is geen gebeurtenissenopslag gekoppeld")
    files = event_files(store, period.first_day, period.last_day)
    if not files:
        return unknown("de opslag bevat geen raadplegingen in deze periode")
    con = store.connect()
    backend = ibis.duckdb.from_connection(con)
    run_sql(con, "SET TimeZone = 'Europe/Amsterdam'")  # Ibis sets UTC; days are Dutch days
    try:
        rows = _per_department(backend, store, files, period, params)
    except UserError as error:  # no staff records: nothing can be explained or attributed
        return unknown(f"de opslag is onvolledig ({error})")
    finally:
        backend.disconnect()
    departments = tuple(
        DepartmentShare(r["department"], int(r["accesses"]), int(r["explained"] or 0))
        for r in sorted(rows, key=lambda r: (-r["accesses"], r["department"]))
    )
    total = sum(d.accesses for d in departments)
    if not total:
        return unknown("de opslag bevat geen raadplegingen van burgers in deze periode")
    return ExplainedShare(
        accesses=total,
        explained=sum(d.explained for d in departments),
        by_department=departments,
    )


def _per_department(
    backend: ibis.BaseBackend, store: Store, files: list[str], period: Period,
    params: dict[str, Any],
) -> list[dict[str, Any]]:  # fmt: skip
    ctx = load_context(store, backend, params)
    ctx.events = backend.read_parquet(files)  # the period's partitions only
    every = accesses(ctx)
    inside = (
        (every.occurred_at >= period.start)
        & (every.occurred_at < period.end)
        & every.subject_bsn.notnull()
    )
    acc = explained(ctx, every.filter(inside))
    acc = acc.mutate(department=acc.department.fill_null(UNKNOWN_DEPARTMENT))
    grouped = acc.group_by("department").agg(
        accesses=acc.count(), explained=acc.explained.cast("int64").sum()
    )
    rows: list[dict[str, Any]] = grouped.to_pyarrow().to_pylist()
    return rows

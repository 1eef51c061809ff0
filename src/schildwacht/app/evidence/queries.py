"""The evidence queries, defined with Ibis once and compiled to SQL once per process.

Building and compiling detection's Ibis expressions costs far more than running them on one
employee's events: a few hundred milliseconds of Python against tens of milliseconds in
DuckDB. So the queries read fixed view names, and everything a request brings (the
employee, the alert's event keys, its subjects) reaches them as a registered Arrow table or
a bound parameter, never as SQL text. A query is compiled the first time it
runs for a given store schema and set of detection parameters; after that a request only
binds its views and runs the finished SQL. Results are converted to the expressions' own
schemas, as Ibis's ``to_pyarrow`` does, so callers see exactly what Ibis would hand them.

The definitions are detection's (``explained_accesses``, ``staff_table``,
``_relation_of_subject``); this module only decides what is read and when.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

import duckdb
import ibis
import ibis.expr.schema as sch
import ibis.expr.types as ir
import pyarrow as pa

from schildwacht.app.evidence.database import Snapshot, StoreDatabase, database_for, signature
from schildwacht.app.evidence.reading import CONTEXT_TABLES, empty_table, explained_accesses
from schildwacht.detect.context import DetectionContext
from schildwacht.detect.evidence import WEAK, _relation_of_subject, staff_table
from schildwacht.store.sql import run as run_sql
from schildwacht.store.store import Store

PREFIX = "sw_page_"
EVENTS = f"{PREFIX}events"  # the employee's rows of the chosen event files, read once
SOURCE = f"{PREFIX}source"  # an empty events table, when no file is chosen
ARGS = f"{PREFIX}args"  # one row: the employee's id
KEYS = f"{PREFIX}keys"  # the alert's event keys ("source_system:event_id")
SUBJECTS = f"{PREFIX}subjects"  # the subjects' BSNs
JUDGED = f"{PREFIX}judged"  # the bound events with detection's explanation
CACHE_SIZE = 16
"""Compiled query sets kept per process; a new entry only appears when the store's schema
or detection's settings change, so this bound is never reached in normal use."""


def _view(table: str) -> str:
    return f"{PREFIX}{table}"


@dataclass(frozen=True)
class Query:
    """Finished SQL and the Ibis schema its result is converted to."""

    sql: str
    schema: sch.Schema


Definitions = Callable[[DetectionContext, "Inputs"], dict[str, ir.Table]]


@dataclass(frozen=True)
class Inputs:
    """The request's values as tables, for query definitions."""

    args: ir.Table  # employee_id
    keys: ir.Table  # key
    subjects: ir.Table  # bsn


def judged_query(ctx: DetectionContext, inputs: Inputs, *, keyed: bool) -> ir.Table:
    """The bound events with detection's explanation (``keyed``: only the alert's own)."""
    if keyed:
        ev = ctx.events
        ctx = replace(ctx, events=ev.filter(_key(ev).isin(inputs.keys.key)))
    return explained_accesses(ctx)


def _key(ev: ir.Table) -> ir.StringValue:
    return ev.source_system + ":" + ev.event_id


def evidence_query(judged: ir.Table, events: ir.Table, inputs: Inputs) -> ir.Table:
    """The alert's own events among ``judged``, newest first (the caller applies a limit),
    with the columns of the stored event that evidence shows besides."""
    mine = judged.filter(judged.event_key.isin(inputs.keys.key))
    raw = events.filter(_key(events).isin(inputs.keys.key))
    extra = raw.select(
        x_key=_key(raw),
        event_id=raw.event_id,
        processing_activity=raw.processing_activity,
        client=raw.client,
    )
    out = mine.left_join(extra, mine.event_key == extra.x_key)
    return out.order_by([ibis.desc("occurred_at"), ibis.desc("event_key")])


def day_counts_query(judged: ir.Table, subjects: ir.Column) -> ir.Table:
    """Counts per day; "unexplained" as the scenarios count it (a routine is no reason).

    ``subjects`` is a column of the alert's subjects' BSNs (none for a volume alert).
    """
    person = judged.subject_bsn.notnull()
    reason = (judged.explained & (judged.explanation != WEAK)).fill_null(False)
    metrics = {
        "explained": (person & reason).sum(),
        "unexplained": (person & ~reason).sum(),
        "without_subject": (~person).sum(),
    }
    mine = judged.subject_bsn.isin(subjects).fill_null(False)
    metrics |= {"subject": mine.sum(), "subject_unexplained": (mine & ~reason).sum()}
    return judged.group_by("day").agg(**metrics)


def _event_queries(ctx: DetectionContext, inputs: Inputs) -> dict[str, ir.Table]:
    judged = judged_query(ctx, inputs, keyed=False)
    placeholder = ibis.table(judged.schema(), name=JUDGED)  # materialised before use
    return {
        "judged": judged,
        "judged_keyed": judged_query(ctx, inputs, keyed=True),
        "evidence": evidence_query(placeholder, ctx.events, inputs),
        "days": day_counts_query(placeholder, inputs.subjects.bsn),
    }


def _people_queries(ctx: DetectionContext, inputs: Inputs) -> dict[str, ir.Table]:
    staff = staff_table(ctx)
    me = staff.filter(staff.s_id.isin(inputs.args.employee_id))
    subjects = inputs.subjects.bsn
    ties = _relation_of_subject(ctx, me)
    c, w, e = ctx.citizens, ctx.watchlist, ctx.employees
    return {
        "me": me,
        "family": ties.filter(ties.subject.isin(subjects)).select("subject", "relation"),
        "citizens": c.filter(c.bsn.isin(subjects)).select(
            "bsn", "given_names", "surname_prefix", "surname", "postcode", "house_number"
        ),
        "colleagues": staff.filter(
            staff.s_bsn.isin(subjects) & ~staff.s_id.isin(inputs.args.employee_id)
        ).select("s_bsn", "s_department"),
        "watchlist": w.filter(w.bsn.isin(subjects)).select("bsn", "category").distinct(),
        "profile": e.filter(e.employee_id.isin(inputs.args.employee_id)).limit(1),
    }


_compiled: dict[tuple[Any, ...], dict[str, Query]] = {}
_lock = threading.Lock()


def _string_table(column: str, values: Collection[str]) -> pa.Table:
    return pa.table({column: pa.array(list(values), type=pa.string())})


class Reader:
    """A request's connection to the store's database, with its inputs bound as views.

    The context views show the database's copies of the context tables (``database``).
    Events are bound through ``bind_events``: the employee's rows of the chosen files only,
    a filter DuckDB pushes into the Parquet scan, read once into a temporary table. Views
    and tables of a reader are temporary: other requests' connections do not see them.
    """

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        snapshots: dict[str, Snapshot],
        *,
        employee_id: str,
        keys: Collection[str],
        subjects: Collection[str],
        params: dict[str, Any],
    ) -> None:
        self.con = con
        self.employee_id = employee_id
        self.params = params
        statements = [
            "SET python_enable_replacements = false",  # as Ibis sets it
            *[  # internal names only
                f"CREATE TEMP VIEW {_view(name)} AS SELECT * FROM {snapshots[name].name}"
                for name in CONTEXT_TABLES
            ],
        ]
        run_sql(con, ";\n".join(statements))
        self._context = tuple((name, snapshots[name].signature) for name in CONTEXT_TABLES)
        values = {
            ARGS: _string_table("employee_id", [employee_id]),
            KEYS: _string_table("key", keys),
            SUBJECTS: _string_table("bsn", subjects),
        }
        for name, table in values.items():
            con.register(name, table)  # a view of this connection only
        self._events: tuple[Any, ...] | None = None  # nothing bound yet

    def bind_events(self, files: list[str]) -> None:
        """Bind the employee's events stored in ``files`` (none when ``files`` is empty)."""
        if files:  # DuckDB pushes the employee filter into the Parquet scan
            sql = "SELECT * FROM read_parquet($files) WHERE employee_id = $employee_id"
            values = {"files": files, "employee_id": self.employee_id}
        else:
            self.con.register(SOURCE, empty_table("events"))
            sql, values = f"SELECT * FROM {SOURCE}", {}
        run_sql(self.con, f"CREATE OR REPLACE TEMP TABLE {EVENTS} AS {sql}", values or None)
        self._events = signature(self.con.table(EVENTS))

    def judge(self, *, keyed: bool = False) -> None:
        """Explain the bound events (with ``keyed`` only the alert's own) into ``JUDGED``."""
        query = self._query("events", "judged_keyed" if keyed else "judged")
        run_sql(self.con, f"CREATE OR REPLACE TEMP TABLE {JUDGED} AS {query.sql}")

    def events(self, name: str) -> list[dict[str, Any]]:
        """Rows of a query on the judged events (``evidence``, ``days``), after ``judge``."""
        return self._rows(self._query("events", name))

    def people(self, name: str) -> list[dict[str, Any]]:
        """Rows of a query on the context tables (``me``, ``family``, ``citizens``, ...)."""
        return self._rows(self._query("people", name))

    def _rows(self, query: Query) -> list[dict[str, Any]]:
        from ibis.backends.duckdb.converter import DuckDBPyArrowData

        table = self.con.sql(query.sql).to_arrow_table()  # as Ibis's to_pyarrow runs it
        return list(DuckDBPyArrowData.convert_table(table, query.schema).to_pylist())

    def _query(self, group: str, name: str) -> Query:
        """A compiled query; the context queries use no detection setting."""
        key: tuple[Any, ...]
        if group == "events":
            if self._events is None:
                self.bind_events([])
            define, params = _event_queries, self.params
            key = (group, self._context, self._events, repr(params))
        else:
            define, params = _people_queries, {}
            key = (group, self._context)
        found = _compiled.get(key)
        if found is None:
            with _lock:
                found = _compiled.get(key)
                if found is None:
                    found = self._compile(define, params)
                    if len(_compiled) >= CACHE_SIZE:
                        _compiled.clear()
                    _compiled[key] = found
        return found[name]

    def _compile(self, define: Definitions, params: dict[str, Any]) -> dict[str, Query]:
        """Build the Ibis definitions on this connection's views and compile each one."""
        if self._events is None:  # every definition gets the events table, if only its schema
            self.bind_events([])
        backend = ibis.duckdb.from_connection(self.con)
        try:
            tables = {name: backend.table(_view(name)) for name in CONTEXT_TABLES}
            ctx = DetectionContext(
                con=backend, events=backend.table(EVENTS), params=params, **tables
            )
            inputs = Inputs(backend.table(ARGS), backend.table(KEYS), backend.table(SUBJECTS))
            return {
                name: Query(backend.compile(expr), expr.schema())
                for name, expr in define(ctx, inputs).items()
            }
        finally:  # Ibis sets the connection to UTC; days here are Dutch days
            run_sql(self.con, "SET TimeZone = 'Europe/Amsterdam'")


@contextmanager
def reading(
    database: StoreDatabase,
    tables: dict[str, list[str]],
    *,
    employee_id: str = "",
    keys: Collection[str] = (),
    subjects: Collection[str] = (),
    params: dict[str, Any] | None = None,
) -> Iterator[Reader]:
    """A ``Reader`` on a connection of its own to ``database``, for one request."""
    with database.session(tables) as session, session.connection() as con:
        yield Reader(
            con, session.snapshots, employee_id=employee_id, keys=keys, subjects=subjects,
            params=params or {},
        )  # fmt: skip


@contextmanager
def open_reader(
    store: Store,
    tables: dict[str, list[str]],
    *,
    employee_id: str = "",
    keys: Collection[str] = (),
    subjects: Collection[str] = (),
    params: dict[str, Any] | None = None,
) -> Iterator[Reader]:
    """A ``Reader`` on the store's database in this process (``database.database_for``).

    ``tables`` are the store's live files (``reading.stored_files``). The database is created
    on first use, which creates the store's folders: only open a reader when the store holds
    what is needed.
    """
    with reading(
        database_for(store), tables, employee_id=employee_id, keys=keys, subjects=subjects,
        params=params,
    ) as reader:  # fmt: skip
        yield reader

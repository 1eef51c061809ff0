"""One DuckDB database per store in this process, holding the context tables once.

Opening a DuckDB database costs about 20 ms, and reading a context table from Parquet costs
a query tens of milliseconds: cases, citizens and relations hold a row for every case and
person of the municipality, and detection's definitions read them whole (a department's
routine is learned from every case). A page view asks several such queries. So each store
gets one in-memory database for the life of the process: its context tables are copied in
once per snapshot, and every request works on a connection of its own to that database (a
DuckDB cursor: its settings, views and temporary tables are its own and vanish with it).

Ingest replaces a context table by writing a new file and naming it in the manifest, so a
copy stays right as long as the manifest names the same files (compared by path, size and
modification time). When it names others, the next request copies the new snapshot; the
old copy is dropped as soon as no request uses it any more. Event files are never copied:
each request reads only the partitions and rows it needs.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from schildwacht.app.evidence.reading import CONTEXT_TABLES, empty_table
from schildwacht.store.sql import run as run_sql
from schildwacht.store.store import Store

STORES_KEPT = 4
"""Stores whose databases a process keeps (the web app serves one)."""

Identity = tuple[tuple[str, int, int], ...]


@dataclass
class Snapshot:
    """A context table copied into the database, and how many requests use the copy."""

    table: str  # the contract's name: "cases"
    identity: Identity  # the files it was read from: path, size, modification time
    name: str  # the copy's name in the database
    signature: tuple[Any, ...]  # its columns and their types
    users: int = 0  # requests holding it


def identity(files: list[str]) -> Identity:
    """What tells one snapshot from another: each file's path, size and modification time."""
    found = []
    for file in files:
        stat = os.stat(file)
        found.append((file, stat.st_size, stat.st_mtime_ns))
    return tuple(found)


def signature(rel: duckdb.DuckDBPyRelation) -> tuple[Any, ...]:
    """The columns and types of a relation: compiled queries are kept per signature."""
    return tuple(rel.columns), tuple(str(t) for t in rel.types)


class StoreDatabase:
    """An in-memory DuckDB database with a store's context tables, for many requests."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con  # used under the lock only: a connection serves one thread at a time
        self._lock = threading.Lock()
        self._current: dict[str, Snapshot] = {}
        self._retired: list[Snapshot] = []
        self._copies = 0

    @contextmanager
    def session(self, tables: dict[str, list[str]]) -> Iterator[Session]:
        """The context snapshots of ``tables`` (the store's live files), which stay in the
        database until the block ends, and connections to read them."""
        snapshots = self._acquire(tables)
        try:
            yield Session(self, snapshots)
        finally:
            self._release(snapshots)

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A new connection to the database."""
        with self._lock:
            return self.con.cursor()

    def _acquire(self, tables: dict[str, list[str]]) -> dict[str, Snapshot]:
        wanted = {name: identity(tables.get(name, [])) for name in CONTEXT_TABLES}
        with self._lock:
            for name, files in wanted.items():
                known = self._current.get(name)
                if known is None or known.identity != files:
                    self._replace(name, files)
            snapshots = {name: self._current[name] for name in CONTEXT_TABLES}
            for snapshot in snapshots.values():
                snapshot.users += 1
            return snapshots

    def _release(self, snapshots: dict[str, Snapshot]) -> None:
        with self._lock:
            for snapshot in snapshots.values():
                snapshot.users -= 1
            self._drop_unused()

    def _replace(self, table: str, files: Identity) -> None:
        """Copy a snapshot in (under the lock); the copy it replaces is retired."""
        self._copies += 1
        name = f"sw_context_{self._copies}_{table}"
        con = self.con.cursor()
        try:
            paths = [path for path, _, _ in files]
            if paths:
                run_sql(con, f"CREATE TABLE {name} AS SELECT * FROM read_parquet($f)", {"f": paths})
            else:  # never delivered: the contract's empty table, as detection reads it
                con.register("sw_context_empty", empty_table(table))
                run_sql(con, f"CREATE TABLE {name} AS SELECT * FROM sw_context_empty")
            snapshot = Snapshot(table, files, name, signature(con.table(name)))
        finally:
            con.close()
        old = self._current.get(table)
        if old is not None:
            self._retired.append(old)
        self._current[table] = snapshot
        self._drop_unused()

    def _drop_unused(self) -> None:
        for snapshot in [s for s in self._retired if s.users == 0]:
            run_sql(self.con, f"DROP TABLE IF EXISTS {snapshot.name}")  # an internal name
            self._retired.remove(snapshot)


@dataclass(frozen=True)
class Session:
    """Context snapshots held for one request, and the request's connections."""

    database: StoreDatabase
    snapshots: dict[str, Snapshot]

    @contextmanager
    def connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection of its own, closed when the block ends: its settings, views and
        temporary tables are its own."""
        con = self.database.cursor()
        try:
            run_sql(con, "SET TimeZone = 'Europe/Amsterdam'")  # per connection, as Store sets it
            yield con
        finally:
            con.close()


_databases: OrderedDict[tuple[Path, int], StoreDatabase] = OrderedDict()
_databases_lock = threading.Lock()


def database_for(store: Store) -> StoreDatabase:
    """The store's database in this process, created on first use (connecting creates the
    store's folders: only ask for it when the store holds what is needed)."""
    key = (store.root.resolve(), os.getpid())  # a forked child never shares a database
    with _databases_lock:
        found = _databases.get(key)
        if found is None:
            found = StoreDatabase(store.connect())
            _databases[key] = found
            while len(_databases) > STORES_KEPT:
                _databases.popitem(last=False)  # closed when its last request ends
        _databases.move_to_end(key)
        return found

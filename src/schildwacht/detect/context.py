"""The data detection works on: the store's tables as Ibis expressions, plus settings.

Scenarios never read files or run SQL themselves; they receive a ``DetectionContext`` and
return Ibis expressions over its tables. That keeps one definition of every scenario that
DuckDB and Spark both run (``engine.py``, ``execution.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

from schildwacht.contract import TABLES
from schildwacht.detect.execution import read_parquet, register_empty
from schildwacht.errors import UserError
from schildwacht.store.store import Store

TIMESTAMP = dt.Timestamp(timezone="UTC")


@dataclass
class DetectionContext:
    """Tables (as Ibis expressions) and parameters shared by every detection stage."""

    con: ibis.BaseBackend
    events: ir.Table
    employees: ir.Table
    cases: ir.Table
    appointments: ir.Table
    citizens: ir.Table
    relations: ir.Table
    watchlist: ir.Table
    params: dict[str, Any] = field(default_factory=dict)

    def param(self, name: str, default: Any) -> Any:
        """A setting by dotted name (``explanation.case_grace_before_days``), else default."""
        return self.params.get(name, default)


def _empty(con: ibis.BaseBackend, table: str) -> ir.Table:
    """An empty table with the stored schema, for an optional table nobody delivered.

    It is registered with the engine (not an Ibis memtable) because the detection stages
    compile expressions to SQL and run that SQL on the connection themselves.
    """
    spec = TABLES[table]
    types = {
        "string": dt.string, "bsn": dt.string, "enum": dt.string, "timestamp": TIMESTAMP,
        "date": dt.date, "list": dt.Array(dt.string), "integer": dt.int64,
        "boolean": dt.boolean,
    }  # fmt: skip
    schema = ibis.schema({c.name: types[c.type.value] for c in spec.columns})
    return register_empty(con, f"sw_empty_{table}", schema)


def load_context(store: Store, con: ibis.BaseBackend, params: dict[str, Any]) -> DetectionContext:
    """Read every table of the store as an Ibis expression (nothing is loaded yet)."""
    if not store.files("events"):
        raise UserError(f"store {store.root} holds no events; run 'schildwacht ingest' first")
    if not store.files("employees"):
        raise UserError(f"store {store.root} holds no employees; ingest employees first")
    tables: dict[str, ir.Table] = {}
    for name in TABLES:
        files = [str(p) for p in store.files(name)]
        tables[name] = read_parquet(con, f"sw_{name}", files) if files else _empty(con, name)
    return DetectionContext(
        con=con,
        events=tables["events"],
        employees=tables["employees"],
        cases=tables["cases"],
        appointments=tables["appointments"],
        citizens=tables["citizens"],
        relations=tables["relations"],
        watchlist=tables["watchlist"],
        params=params,
    )

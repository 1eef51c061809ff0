"""Run a DuckDB statement to completion.

DuckDB 2 keeps a statement's result open on the connection until it is fetched; a DDL or
DML statement left open blocks the next use of the connection (Ibis included). Statements
that return nothing we need go through ``run`` so they are always finished.
"""

from __future__ import annotations

from typing import Any

import duckdb


def run(con: duckdb.DuckDBPyConnection, sql: str, params: Any = None) -> None:
    """Execute ``sql`` with bound ``params`` and finish it."""
    con.execute(sql, params).fetchall()

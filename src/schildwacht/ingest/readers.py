"""Read one contract file (CSV, JSONL or Parquet, optionally gzipped) into DuckDB.

Every reader produces the same staged relation: a record ordinal ``_ord`` (the record's
position in the file, so a rejected record can be found again), every contract column as
text (list columns as ``VARCHAR[]``), and ``_extra``: the extra columns the contract says
are kept but ignored. Records the parser itself cannot read (a CSV row with the wrong
number of fields, a JSONL line that is not a JSON object, invalid UTF-8) are returned as
parse rejects with their line and raw text.

DuckDB does the parsing, in one pass over the file and without loading it into Python, so
a file of any size streams through with bounded memory. ``parallel=false`` keeps records in
file order, which makes the ordinal exact.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from schildwacht.contract import TABLES, ColumnType, Table
from schildwacht.errors import UserError
from schildwacht.store.sql import run as run_sql

SEQUENCE = "schildwacht_ord"


def q(name: str) -> str:
    """Quote an SQL identifier (a column name taken from a file's header) safely."""
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True)
class ParseReject:
    """A record the parser could not read at all."""

    locator: str
    reason: str
    raw: str


@dataclass(frozen=True)
class Staged:
    """A file staged in DuckDB as relation ``name``; ``read`` counts every record seen."""

    name: str
    read: int
    rejects: list[ParseReject]


def _open_text(path: Path) -> io.TextIOBase:
    if path.name.lower().endswith(".gz"):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig", newline="")
    return open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 - returned to caller


def csv_header(path: Path) -> list[str]:
    """The header row of a CSV file; raises UserError when it is unusable."""
    try:
        with _open_text(path) as handle:
            header = next(csv.reader(handle), None)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise UserError(f"{path}:1: header row cannot be read ({exc})") from None
    if not header:
        raise UserError(f"{path}: the file is empty; a CSV file needs a header row")
    names = [h.strip() for h in header]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes or "" in names:
        what = f"duplicate column(s) {', '.join(dupes)}" if dupes else "an empty column name"
        raise UserError(f"{path}:1: header has {what}")
    return names


def check_required_columns(path: Path, table: Table, columns: list[str]) -> None:
    """A file that lacks a required column cannot hold a single valid record."""
    missing = [c.name for c in table.columns if c.required and c.name not in columns]
    if missing:
        raise UserError(
            f"{path}: column(s) {', '.join(missing)} required by the contract for table "
            f"'{table.name}' are missing from the file"
        )


def stage_csv(con: duckdb.DuckDBPyConnection, path: Path, table: Table, name: str) -> Staged:
    """Stage a CSV file; wrong field counts, bad quoting and bad UTF-8 become rejects."""
    header = csv_header(path)
    check_required_columns(path, table, header)
    columns = {h: "VARCHAR" for h in header}
    _reset_sequence(con)
    run_sql(
        con,
        f"CREATE OR REPLACE TEMP TABLE {name}_src AS "  # noqa: S608 - name is internal
        f"SELECT nextval('{SEQUENCE}') AS _ord, * FROM read_csv($path, header = true, "
        "delim = ',', quote = '\"', escape = '\"', columns = $columns, auto_detect = false, "
        "parallel = false, strict_mode = true, store_rejects = true, "
        f"rejects_table = '{name}_rej', rejects_scan = '{name}_scan', "
        "null_padding = false, compression = 'auto')",
        {"path": str(path), "columns": columns},
    )
    good = _count(con, f"{name}_src")
    # DuckDB reports one error per missing column; one reject per record is what we keep
    rej_rows = con.execute(
        f"SELECT line, first(error_type ORDER BY column_idx), "
        f"first(error_message ORDER BY column_idx), first(csv_line) FROM {name}_rej "
        "GROUP BY line ORDER BY line"
    ).fetchall()
    rejects = [
        ParseReject(f"line {line}", _csv_error(kind, message), raw or "")
        for line, kind, message, raw in rej_rows
    ]
    _renumber_csv(con, name, [int(r[0]) for r in rej_rows])
    _project(con, name, table, header, list_text=True)
    return Staged(name, good + len(rejects), rejects)


def _csv_error(kind: str, message: str) -> str:
    reasons = {
        "MISSING COLUMNS": "row has fewer fields than the header",
        "TOO MANY COLUMNS": "row has more fields than the header",
        "UNQUOTED VALUE": "quote character inside an unquoted field or after a quoted one",
        "INVALID ENCODING": "row is not valid UTF-8",
        "INVALID UNICODE": "row is not valid UTF-8",
        "LINE SIZE OVER MAXIMUM": "row is longer than the maximum line size",
    }
    return reasons.get(kind, f"row cannot be parsed as CSV ({message})")


def _renumber_csv(con: duckdb.DuckDBPyConnection, name: str, reject_lines: list[int]) -> None:
    """Turn the sequence number of each good row into its CSV record number (header = 1).

    The sequence counts only rows DuckDB accepted, while rejected rows are reported by
    record number. Reject i (1-based, in file order) at record L_i has L_i - i good rows
    before it, so good row k sits after every reject with L_i - i < k, and its record
    number is k + 1 + that count.
    """
    thresholds = [line - i for i, line in enumerate(sorted(reject_lines), start=1)]
    run_sql(
        con,
        f"CREATE OR REPLACE TEMP TABLE {name}_thr AS SELECT unnest($t) AS thr",
        {"t": thresholds or [None]},
    )
    run_sql(
        con,
        f"UPDATE {name}_src SET _ord = _ord + 1 + (SELECT count(thr) FROM {name}_thr "
        f"WHERE thr < {name}_src._ord)",
    )


def stage_jsonl(con: duckdb.DuckDBPyConnection, path: Path, table: Table, name: str) -> Staged:
    """Stage a JSON Lines file; a line that is not a JSON object becomes a reject."""
    _reset_sequence(con)
    run_sql(
        con,
        f"CREATE OR REPLACE TEMP TABLE {name}_lines AS "
        f"SELECT nextval('{SEQUENCE}') AS _ord, line FROM read_csv($path, header = false, "
        "columns = {'line': 'VARCHAR'}, delim = '\x1f', quote = '', escape = '', "
        "auto_detect = false, parallel = false, store_rejects = true, "
        f"rejects_table = '{name}_rej', rejects_scan = '{name}_scan', compression = 'auto')",
        {"path": str(path)},
    )
    bad = con.execute(
        f"SELECT _ord, line FROM {name}_lines WHERE trim(coalesce(line, '')) <> '' AND "
        "(NOT json_valid(line) OR json_type(line::JSON) <> 'OBJECT') ORDER BY _ord"
    ).fetchall()
    rejects = [ParseReject(f"line {n}", "line is not a JSON object", raw or "") for n, raw in bad]
    enc = con.execute(f"SELECT line, csv_line FROM {name}_rej").fetchall()
    rejects += [ParseReject(f"line {n}", "line is not valid UTF-8", raw or "") for n, raw in enc]
    exprs = ["_ord"]
    for col in table.columns:
        if col.type is ColumnType.LIST:
            exprs.append(
                f"CASE WHEN json_type(line::JSON, $p_{col.name}) = 'ARRAY' THEN "
                f"CAST(json_extract(line, $p_{col.name}) AS VARCHAR[]) "
                f"WHEN json_type(line::JSON, $p_{col.name}) IN ('VARCHAR') THEN "
                f"string_split(json_extract_string(line, $p_{col.name}), '|') END "
                f'AS "{col.name}"'
            )
        else:
            exprs.append(f'json_extract_string(line, $p_{col.name}) AS "{col.name}"')
    nulls = "{" + ",".join(f'"{c}":null' for c in table.column_names) + "}"
    exprs.append(
        f"nullif(json_merge_patch(line::JSON, '{nulls}'::JSON)::VARCHAR, '{{}}') AS _extra"
    )
    params = {f"p_{c}": "$." + _json_key(c) for c in table.column_names}
    run_sql(
        con,
        f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT {', '.join(exprs)} "
        f"FROM {name}_lines WHERE trim(coalesce(line, '')) <> '' AND json_valid(line) "
        "AND json_type(line::JSON) = 'OBJECT'",
        params,
    )
    read = _count(con, name) + len(rejects)
    return Staged(name, read, rejects)


def _json_key(column: str) -> str:
    return f'"{column}"'


def stage_parquet(con: duckdb.DuckDBPyConnection, path: Path, table: Table, name: str) -> Staged:
    """Stage a Parquet file; native types are rendered as the contract's text forms."""
    try:
        schema = pq.read_schema(path)
    except Exception as exc:  # pyarrow raises several types for a damaged file
        raise UserError(f"{path}: not a readable Parquet file ({exc})") from None
    names = list(schema.names)
    check_required_columns(path, table, names)
    exprs = ["file_row_number + 1 AS _ord"]
    for col in table.columns:
        if col.name not in names:
            exprs.append(_null_of(col.type, col.name))
            continue
        arrow_type = str(schema.field(col.name).type)
        exprs.append(_parquet_text(col.type, col.name, arrow_type))
    extra = [n for n in names if n not in table.column_names]
    if extra:
        fields = ", ".join(f"{q(n)} := {q(n)}" for n in extra)
        exprs.append(f"to_json(struct_pack({fields}))::VARCHAR AS _extra")
    else:
        exprs.append("NULL::VARCHAR AS _extra")
    run_sql(
        con,
        f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT {', '.join(exprs)} "
        "FROM read_parquet($path, file_row_number = true)",
        {"path": str(path)},
    )
    return Staged(name, _count(con, name), [])


def _parquet_text(kind: ColumnType, column: str, arrow_type: str) -> str:
    quoted = q(column)
    if kind is ColumnType.LIST:
        if arrow_type.startswith(("list", "large_list")):
            return f"CAST({quoted} AS VARCHAR[]) AS {quoted}"
        return f"string_split(CAST({quoted} AS VARCHAR), '|') AS {quoted}"
    if kind is ColumnType.BSN and arrow_type.startswith(("int", "uint")):
        # a numeric column has lost leading zeros; padding is the STANDARDS.md policy
        return f"lpad(CAST({quoted} AS VARCHAR), 9, '0') AS {quoted}"
    if kind is ColumnType.TIMESTAMP and arrow_type.startswith("timestamp") and "tz=" in arrow_type:
        return f"strftime({quoted} AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%fZ') AS {quoted}"
    if kind is ColumnType.TIMESTAMP and arrow_type.startswith("timestamp"):
        return f"strftime({quoted}, '%Y-%m-%dT%H:%M:%S.%f') AS {quoted}"
    return f"CAST({quoted} AS VARCHAR) AS {quoted}"


def _null_of(kind: ColumnType, column: str) -> str:
    sql_type = "VARCHAR[]" if kind is ColumnType.LIST else "VARCHAR"
    return f"NULL::{sql_type} AS {q(column)}"


def _project(
    con: duckdb.DuckDBPyConnection, name: str, table: Table, header: list[str], list_text: bool
) -> None:
    """Reduce a CSV staging table to ordinal, contract columns and extras."""
    exprs = ["_ord"]
    for col in table.columns:
        if col.name not in header:
            exprs.append(_null_of(col.type, col.name))
        elif col.type is ColumnType.LIST and list_text:
            exprs.append(f"string_split({q(col.name)}, '|') AS {q(col.name)}")
        else:
            exprs.append(q(col.name))
    extra = [h for h in header if h not in table.column_names]
    if extra:
        fields = ", ".join(f"{q(n)} := {q(n)}" for n in extra)
        exprs.append(f"to_json(struct_pack({fields}))::VARCHAR AS _extra")
    else:
        exprs.append("NULL::VARCHAR AS _extra")
    run_sql(
        con, f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT {', '.join(exprs)} FROM {name}_src"
    )


def raw_records(con: duckdb.DuckDBPyConnection, name: str, ords: list[int]) -> dict[int, str]:
    """The original records (all columns, as JSON text) of the given ordinals."""
    source = f"{name}_src" if _exists(con, f"{name}_src") else name
    if _exists(con, f"{name}_lines"):
        source = f"{name}_lines"
        rows = con.execute(
            f"SELECT _ord, line FROM {source} WHERE _ord IN (SELECT unnest($o))", {"o": ords}
        ).fetchall()
        return {int(o): str(line) for o, line in rows}
    result = con.execute(
        f"SELECT * FROM {source} WHERE _ord IN (SELECT unnest($o))", {"o": ords}
    )
    names = [d[0] for d in result.description]
    records: dict[int, str] = {}
    for row in result.fetchall():
        values = dict(zip(names, row, strict=True))
        ordinal = int(values.pop("_ord"))
        records[ordinal] = json.dumps(values, ensure_ascii=False, default=str)
    return records


def _reset_sequence(con: duckdb.DuckDBPyConnection) -> None:
    run_sql(con, f"CREATE OR REPLACE TEMP SEQUENCE {SEQUENCE} START 1")


def _count(con: duckdb.DuckDBPyConnection, relation: str) -> int:
    row = con.execute(f"SELECT count(*) FROM {relation}").fetchall()[0]
    return int(row[0]) if row else 0


def _exists(con: duckdb.DuckDBPyConnection, relation: str) -> bool:
    row = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = $n", {"n": relation}
    ).fetchall()[0]
    return bool(row and row[0])


STAGERS = {"csv": stage_csv, "jsonl": stage_jsonl, "parquet": stage_parquet}


def stage(con: duckdb.DuckDBPyConnection, path: Path, fmt: str, table: str, name: str) -> Staged:
    """Stage ``path`` (a file of contract table ``table`` in format ``fmt``) as ``name``."""
    return STAGERS[fmt](con, path, TABLES[table], name)

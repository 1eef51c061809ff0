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
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
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
    records_not_lines: bool = False
    """True when ``_ord`` numbers records (Arrow's fast CSV path), not physical lines."""


def _open_text(path: Path, errors: str = "strict") -> io.TextIOWrapper:
    """Open a (possibly gzipped) text file; a UTF-8 byte-order mark is skipped."""
    raw = gzip.open(path, "rb") if path.name.lower().endswith(".gz") else open(path, "rb")  # noqa: SIM115
    return io.TextIOWrapper(raw, encoding="utf-8-sig", errors=errors, newline="")


def csv_header(path: Path) -> list[str]:
    """The header row of a CSV file; raises UserError when it is unusable."""
    try:
        with _open_text(path, errors="surrogateescape") as handle:
            header = next(csv.reader(handle), None)
        if header:
            "".join(header).encode("utf-8")
    except (OSError, UnicodeError, csv.Error) as exc:
        raise UserError(f"{path}:1: header row cannot be read ({exc})") from None
    if not header:
        raise UserError(f"{path}: the file is empty; a CSV file needs a header row")
    names = [h.strip() for h in header]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes or "" in names:
        what = f"duplicate column(s) {', '.join(dupes)}" if dupes else "an empty column name"
        raise UserError(f"{path}:1: header has {what}")
    return names


def preflight(path: Path, fmt: str, table: Table) -> None:
    """Refuse a file that cannot hold a single valid record, before anything is written."""
    if fmt == "csv":
        check_required_columns(path, table, csv_header(path))
    elif fmt == "parquet":
        try:
            names = list(pq.read_schema(path).names)
        except Exception as exc:  # pyarrow raises several types for a damaged file
            raise UserError(f"{path}: not a readable Parquet file ({exc})") from None
        check_required_columns(path, table, names)


def check_required_columns(path: Path, table: Table, columns: list[str]) -> None:
    """A file that lacks a required column cannot hold a single valid record."""
    missing = [c.name for c in table.columns if c.required and c.name not in columns]
    if missing:
        raise UserError(
            f"{path}: column(s) {', '.join(missing)} required by the contract for table "
            f"'{table.name}' are missing from the file"
        )


def stage_csv(con: duckdb.DuckDBPyConnection, path: Path, table: Table, name: str) -> Staged:
    """Stage a CSV file; wrong field counts, bad quoting and bad UTF-8 become rejects.

    Two parsers, one result. The fast path streams the file through Arrow's multi-threaded
    CSV reader into DuckDB. If that reader meets a row it cannot take (a wrong number of
    fields, invalid UTF-8, an unterminated quote), the file is parsed again with Python's
    csv module, which follows RFC 4180 exactly, reports the physical line where each record
    starts, and turns each malformed row into a reject instead of stopping or skipping it.
    """
    header = csv_header(path)
    check_required_columns(path, table, header)
    rejects: list[ParseReject] = []
    try:
        good, fast = _stage_csv_fast(con, path, header, name), True
    except (pa.ArrowInvalid, duckdb.Error, UnicodeError):
        (good, rejects), fast = _stage_csv_exact(con, path, header, name), False
    _project(con, name, table, header, list_text=True)
    return Staged(name, good + len(rejects), rejects, records_not_lines=fast)


class _MalformedRow(Exception):
    """Raised by the fast path so the exact parser takes over."""


def _stage_csv_fast(
    con: duckdb.DuckDBPyConnection, path: Path, header: list[str], name: str
) -> int:
    """Stream the CSV into DuckDB; ``_ord`` is the record number (header = 1).

    The record number equals the physical line unless quoted fields span lines or blank
    lines occur; ``record_lines`` corrects that later, for rejected records only.
    """

    def refuse(_row: object) -> str:
        return "error"

    reader = pacsv.open_csv(
        path,
        read_options=pacsv.ReadOptions(column_names=header, skip_rows=1, block_size=8 << 20),
        parse_options=pacsv.ParseOptions(newlines_in_values=True, invalid_row_handler=refuse),
        convert_options=pacsv.ConvertOptions(
            column_types={h: pa.string() for h in header},
            null_values=[""],
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
        ),
    )
    schema = pa.schema([pa.field("_ord", pa.int64()), *reader.schema])

    def numbered() -> Iterator[pa.RecordBatch]:
        first = 2
        for batch in reader:
            ords = pa.array(np.arange(first, first + batch.num_rows, dtype=np.int64))
            first += batch.num_rows
            yield pa.RecordBatch.from_arrays([ords, *batch.columns], schema=schema)

    stream = pa.RecordBatchReader.from_batches(schema, numbered())
    con.register(f"{name}_stream", stream)
    try:
        run_sql(con, f"CREATE OR REPLACE TEMP TABLE {name}_src AS SELECT * FROM {name}_stream")
    finally:
        con.unregister(f"{name}_stream")
    return _count(con, f"{name}_src")


def record_lines(path: Path, records: set[int]) -> dict[int, int]:
    """Map CSV record numbers (header = 1, blank lines skipped) to their starting line.

    Runs only for files with rejected records, and only as far as the last of them.
    """
    found: dict[int, int] = {}
    if not records:
        return found
    last = max(records)
    with _open_text(path, errors="surrogateescape") as handle:
        reader = csv.reader(handle)
        number, start = 0, 1
        while number < last:
            try:
                row = next(reader)
            except (StopIteration, csv.Error):
                break
            if row:
                number += 1
                if number in records:
                    found[number] = start
            start = reader.line_num + 1
    return found


def _stage_csv_exact(
    con: duckdb.DuckDBPyConnection, path: Path, header: list[str], name: str
) -> tuple[int, list[ParseReject]]:
    """Parse with Python's csv module: exact lines, malformed rows become rejects."""
    width = len(header)
    columns = ", ".join(f"{q(h)} VARCHAR" for h in header)
    run_sql(con, f"CREATE OR REPLACE TEMP TABLE {name}_src (_ord BIGINT, {columns})")
    rejects: list[ParseReject] = []
    good = 0
    with _open_text(path, errors="surrogateescape") as handle:
        reader = csv.reader(handle, strict=True)
        next(reader)
        lines: list[int] = []
        rows: list[list[str]] = []
        start = reader.line_num + 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                reason = f"row cannot be parsed as CSV ({exc})"
                rejects.append(ParseReject(f"line {start}", reason, ""))
                start = reader.line_num + 1
                continue
            line, start = start, reader.line_num + 1
            if not row:
                continue  # a blank line is not a record
            problem = _row_problem(row, width)
            if problem:
                rejects.append(ParseReject(f"line {line}", problem, _csv_text(row)))
                continue
            lines.append(line)
            rows.append(row)
            if len(rows) >= CSV_BATCH_ROWS:
                good += _flush_rows(con, name, header, lines, rows)
                lines, rows = [], []
        good += _flush_rows(con, name, header, lines, rows)
    return good, rejects


CSV_BATCH_ROWS = 200_000


def _row_problem(row: list[str], width: int) -> str | None:
    if len(row) < width:
        return f"row has {len(row)} fields, fewer than the {width} of the header"
    if len(row) > width:
        return f"row has {len(row)} fields, more than the {width} of the header"
    try:
        "".join(row).encode("utf-8")
    except UnicodeEncodeError:
        return "row is not valid UTF-8"
    return None


def _csv_text(row: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(
        [v.encode("utf-8", "surrogateescape").decode("utf-8", "replace") for v in row]
    )
    return out.getvalue()


def _flush_rows(
    con: duckdb.DuckDBPyConnection,
    name: str,
    header: list[str],
    lines: list[int],
    rows: list[list[str]],
) -> int:
    if not rows:
        return 0
    arrays = [pa.array(lines, pa.int64())]
    arrays += [
        pc.if_else(pc.equal(arr, ""), None, arr)
        for arr in (pa.array(col, pa.string()) for col in zip(*rows, strict=True))
    ]
    batch = pa.Table.from_arrays(arrays, names=["_ord", *header])
    con.register(f"{name}_batch", batch)
    run_sql(con, f"INSERT INTO {name}_src SELECT * FROM {name}_batch")
    con.unregister(f"{name}_batch")
    return len(rows)


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
    # a view: the projection is cheap and is read by validation only once
    run_sql(con, f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT {', '.join(exprs)} FROM {name}_src")


def raw_records(con: duckdb.DuckDBPyConnection, name: str, ords: list[int]) -> dict[int, str]:
    """The original records (all columns, as JSON text) of the given ordinals."""
    source = f"{name}_src" if _exists(con, f"{name}_src") else name
    if _exists(con, f"{name}_lines"):
        source = f"{name}_lines"
        rows = con.execute(
            f"SELECT _ord, line FROM {source} WHERE _ord IN (SELECT unnest($o))", {"o": ords}
        ).fetchall()
        return {int(o): str(line) for o, line in rows}
    result = con.execute(f"SELECT * FROM {source} WHERE _ord IN (SELECT unnest($o))", {"o": ords})
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

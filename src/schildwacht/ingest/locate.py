"""Say exactly where a rejected record sits in its file, so a person can find and fix it.

CSV: the physical line on which the record starts (quoted fields may contain line breaks,
and blank lines are not records, so this can differ from the record number). JSONL: the
line. Parquet: the row group and the row within it. The work is done only for files that
have rejected records, and only as far into the file as the last of them.
"""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from schildwacht.ingest.quarantine import QuarantineRecord
from schildwacht.ingest.readers import Staged, raw_records


def locate_rejects(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    fmt: str,
    table: str,
    staged: Staged,
    invalid: list[tuple[int, str]],
) -> list[QuarantineRecord]:
    """Quarantine records for parse rejects and contract violations of one staged file."""
    source = str(path)
    raws = raw_records(con, staged.name, [int(o) for o, _ in invalid]) if invalid else {}
    if fmt == "csv":
        numbers = {int(o) for o, _ in invalid}
        numbers |= {int(r.locator.split()[-1]) for r in staged.rejects}
        lines = csv_physical_lines(path, numbers)
        out = [
            QuarantineRecord(
                table, source, f"line {lines.get(int(r.locator.split()[-1]))}", r.reason, r.raw
            )
            for r in staged.rejects
        ]
        out += [
            QuarantineRecord(
                table, source, f"line {lines.get(int(o))}", reason, raws.get(int(o), "")
            )
            for o, reason in invalid
        ]
        return out
    if fmt == "parquet":
        groups = parquet_row_groups(path)
        return [
            QuarantineRecord(
                table, source, parquet_locator(groups, int(o)), reason, raws.get(int(o), "")
            )
            for o, reason in invalid
        ]
    out = [QuarantineRecord(table, source, r.locator, r.reason, r.raw) for r in staged.rejects]
    out += [
        QuarantineRecord(table, source, f"line {o}", reason, raws.get(int(o), ""))
        for o, reason in invalid
    ]
    return out


def csv_physical_lines(path: Path, records: set[int]) -> dict[int, int]:
    """Map record numbers (header = 1, blank lines not counted) to starting line numbers."""
    found: dict[int, int] = {}
    if not records:
        return found
    last = max(records)
    with _open_text(path) as handle:
        reader = csv.reader(handle)
        number, start = 0, 1
        while number < last:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error:
                number += 1
                found.setdefault(number, start)
                start = reader.line_num + 1
                continue
            if row:
                number += 1
                if number in records:
                    found[number] = start
            start = reader.line_num + 1
    for missing in records - found.keys():
        found[missing] = missing  # beyond what Python's parser could follow: record number
    return found


def _open_text(path: Path) -> io.TextIOWrapper:
    raw = gzip.open(path, "rb") if path.name.lower().endswith(".gz") else open(path, "rb")  # noqa: SIM115
    return io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="")


def parquet_row_groups(path: Path) -> list[int]:
    """Row counts of the file's row groups, in order."""
    meta = pq.ParquetFile(path).metadata
    return [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]


def parquet_locator(groups: list[int], ordinal: int) -> str:
    """``row group G, row R`` (both 0-based, as Parquet tools show them) of a 1-based row."""
    index = ordinal - 1
    for number, size in enumerate(groups):
        if index < size:
            return f"row group {number}, row {index}"
        index -= size
    return f"row {ordinal - 1}"

"""Say exactly where a rejected record sits in its file, so a person can find and fix it.

CSV and JSONL: the physical line on which the record starts (quoted CSV fields may span
lines; the reader already numbers records that way). Parquet: the row group and the row
within it, read from the file's footer only when a record was rejected.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from schildwacht.ingest.quarantine import QuarantineRecord
from schildwacht.ingest.readers import Staged, raw_records, record_lines


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
    if invalid and staged.records_not_lines:
        lines = record_lines(path, {int(o) for o, _ in invalid})
        invalid = [(lines.get(int(o), int(o)), reason) for o, reason in invalid]
        raws = {lines.get(o, o): raw for o, raw in raws.items()}
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

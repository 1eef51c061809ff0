"""Writing a data set: contract tables as CSV, JSON Lines or Parquet, events in parts.

Columns are encoded from the contract's logical types (``schildwacht.contract``), so the
simulator cannot drift from what ingest expects: timestamps as ISO 8601 text in CSV and
JSONL (native UTC timestamps in Parquet), lists ``|``-joined in CSV and arrays elsewhere,
booleans ``true``/``false``, BSNs always as text. Events are streamed into monthly part files
(``events-2026-01.csv``) one day at a time, so memory stays bounded by a day.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from schildwacht.contract import LABELS_FILE, LIST_SEPARATOR, TABLES, ColumnType
from schildwacht.simulate.clock import format_instants

Format = Literal["csv", "jsonl", "parquet"]
FORMATS: tuple[Format, ...] = ("csv", "jsonl", "parquet")
_TABLE_FILE = re.compile(rf"^({'|'.join(TABLES)})(-[^/]*)?\.(csv|jsonl|parquet)(\.gz)?$")


@dataclass
class Stamps:
    """Instants (epoch seconds, -1 when absent) and how each is written (``clock.STYLE_*``)."""

    epoch: np.ndarray
    style: np.ndarray


def encode(name: str, columns: dict[str, object], fmt: Format) -> pa.Table:
    """A contract table from named columns, typed for ``fmt``.

    Strings come as object arrays (``None`` for absent), timestamps as ``Stamps``, dates as
    ``datetime64[D]`` (NaT for absent), lists as Arrow list arrays, integers with -1 absent.
    """
    spec = TABLES[name]
    arrays: list[pa.Array] = []
    for col in spec.columns:
        value = columns[col.name]
        if col.type is ColumnType.TIMESTAMP:
            assert isinstance(value, Stamps)
            absent = value.epoch < 0
            if fmt == "parquet":
                arrays.append(pa.array(value.epoch, type=pa.timestamp("s", tz="UTC"), mask=absent))
            else:
                text = format_instants(np.where(absent, 0, value.epoch), value.style)
                arrays.append(pc.if_else(pa.array(absent), pa.scalar(None, pa.string()), text))
        elif col.type is ColumnType.LIST:
            assert isinstance(value, pa.Array)
            arrays.append(pc.binary_join(value, LIST_SEPARATOR) if fmt == "csv" else value)
        elif col.type is ColumnType.INTEGER:
            assert isinstance(value, np.ndarray)
            arrays.append(pa.array(value, type=pa.int64(), mask=value < 0))
        elif col.type is ColumnType.DATE:
            arrays.append(pa.array(value, type=pa.date32()))
        elif col.type is ColumnType.BOOLEAN:
            arrays.append(pa.array(value, type=pa.bool_()))
        else:
            arrays.append(
                value if isinstance(value, pa.Array) else pa.array(value, type=pa.string())
            )
    return pa.Table.from_arrays(arrays, names=list(spec.column_names))


class DatasetWriter:
    """Writes the tables of one data set into a folder, one open part file at a time.

    Table files already in the folder (from an earlier run, perhaps in another format or
    with other months) are removed first: left behind, they would silently join this data
    set, because the contract reads every file whose name starts with a table name.
    """

    def __init__(self, out: Path, fmt: Format) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
        self.out, self.fmt = out, fmt
        out.mkdir(parents=True, exist_ok=True)
        for old in out.iterdir():
            if old.is_file() and (_TABLE_FILE.match(old.name) or old.name == LABELS_FILE):
                old.unlink()
        self._path: Path | None = None
        self._writer: pa_csv.CSVWriter | pq.ParquetWriter | None = None
        self._duck = duckdb.connect()
        self._duck.execute("SET threads TO 1")
        self.files: list[Path] = []

    def write(self, name: str, table: pa.Table, part: str | None = None) -> None:
        """Append ``table`` to ``<name>[-<part>].<fmt>``, opening that file if needed."""
        path = self.out / (f"{name}-{part}.{self.fmt}" if part else f"{name}.{self.fmt}")
        if path != self._path:
            self._close_current()
            self._path = path
            self.files.append(path)
            if self.fmt == "csv":
                self._writer = pa_csv.CSVWriter(path, table.schema)
            elif self.fmt == "parquet":
                self._writer = pq.ParquetWriter(path, table.schema, compression="zstd")
            else:
                path.write_bytes(b"")
        if isinstance(self._writer, pa_csv.CSVWriter | pq.ParquetWriter):
            self._writer.write_table(table)
        else:
            self._append_jsonl(path, table)

    def write_labels(self, lines: list[dict[str, object]]) -> None:
        """``labels.jsonl``, one incident a line (always JSON Lines, as the contract says)."""
        path = self.out / LABELS_FILE
        path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines))
        self.files.append(path)

    def close(self) -> None:
        """Flush and close the open part file."""
        self._close_current()
        self._duck.close()

    def _close_current(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._writer, self._path = None, None

    def _append_jsonl(self, path: Path, table: pa.Table) -> None:
        """DuckDB renders JSON Lines quickly; each chunk is appended to the part file."""
        tmp = path.with_name(f".{path.name}.chunk")
        self._duck.register("chunk", table)
        target = str(tmp).replace("'", "''")
        self._duck.execute(f"COPY chunk TO '{target}' (FORMAT JSON)")
        self._duck.unregister("chunk")
        with path.open("ab") as sink, tmp.open("rb") as source:
            while block := source.read(1 << 20):
                sink.write(block)
        tmp.unlink()

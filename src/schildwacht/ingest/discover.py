"""Find the input files of an ingest run and recognise what each one is.

The table comes from the file name (the contract: ``events.csv``, ``events-2026-01.csv``),
the format from the extension. Files in a Dutch standard (VNG Verwerkingenlogging, Logboek
Dataverwerkingen, ZGW Zaken, BRP Personen) are recognised by their content, or named with
``--format``. Everything is checked before anything is written: a missing path or an
unrecognisable file stops the run with a message naming it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from schildwacht.contract import LABELS_FILE, TABLES
from schildwacht.errors import UserError
from schildwacht.ingest.adapters import ADAPTERS, load_json_values, sniff_format
from schildwacht.ingest.adapters.base import AccountMap, Reject

CANONICAL = "canonical"
CANONICAL_SUFFIXES = {
    ".csv": "csv",
    ".csv.gz": "csv",
    ".jsonl": "jsonl",
    ".jsonl.gz": "jsonl",
    ".parquet": "parquet",
}
JSON_SUFFIXES = (".json", ".json.gz", ".jsonl", ".jsonl.gz")
IGNORED_NAMES = {"readme", "readme.md", "readme.txt", ".ds_store"}


@dataclass(frozen=True)
class CanonicalFile:
    """A contract table file: which table, which format."""

    path: Path
    table: str
    format: str  # csv | jsonl | parquet


@dataclass
class IngestPlan:
    """Everything one ingest run will read, grouped by how it is read."""

    canonical: list[CanonicalFile] = field(default_factory=list)
    adapter_files: dict[str, dict[str, list[Path]]] = field(default_factory=dict)
    account_map: AccountMap = field(default_factory=AccountMap)
    labels: list[Path] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.canonical and not self.adapter_files


def suffix_of(path: Path) -> str:
    """The data suffix, including a ``.gz`` (``events.csv.gz`` -> ``.csv.gz``)."""
    name = path.name.lower()
    for suffix in sorted((*CANONICAL_SUFFIXES, *JSON_SUFFIXES), key=len, reverse=True):
        if name.endswith(suffix):
            return suffix
    return path.suffix.lower()


def table_of(path: Path) -> str | None:
    """The contract table a file name announces, or None.

    ``events.csv`` and ``events-2026-01.csv`` are events; ``eventsx.csv`` is not.
    """
    stem = path.name[: len(path.name) - len(suffix_of(path))].lower()
    for table in TABLES:
        if stem == table or (stem.startswith(table) and not stem[len(table)].isalnum()):
            return table
    return None


def plan_ingest(paths: list[Path], fmt: str | None = None) -> IngestPlan:
    """Recognise every file under ``paths``; raise UserError naming the first problem."""
    plan = IngestPlan()
    if fmt is not None and fmt != CANONICAL and fmt not in ADAPTERS:
        known = ", ".join([CANONICAL, *ADAPTERS])
        raise UserError(f"unknown --format {fmt!r}; choose one of: {known}")
    maps: list[Path] = []
    for path in _expand(paths):
        name = path.name.lower()
        if name == LABELS_FILE:
            plan.labels.append(path)
        elif name == AccountMap.FILE_NAME:
            maps.append(path)
        else:
            _recognise(path, fmt, plan)
    for map_path in maps:
        try:
            plan.account_map = AccountMap.from_csv(map_path)
        except ValueError as exc:
            raise UserError(str(exc)) from None
    if plan.is_empty:
        raise UserError(
            "no data files found in "
            + ", ".join(str(p) for p in paths)
            + "; expected contract tables such as events.csv or a Dutch log format"
        )
    return plan


def _expand(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if not path.exists():
            raise UserError(f"{path}: no such file or folder")
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and not p.name.startswith(".")
                and p.name.lower() not in IGNORED_NAMES
            )
            files.extend(found)
        else:
            files.append(path)
    for file in files:
        try:
            with file.open("rb") as handle:
                handle.read(1)
        except OSError as exc:
            raise UserError(f"{file}: cannot be read ({exc.strerror})") from None
    return files


def _recognise(path: Path, fmt: str | None, plan: IngestPlan) -> None:
    suffix = suffix_of(path)
    table = table_of(path)
    if (fmt in (None, CANONICAL)) and table and suffix in CANONICAL_SUFFIXES:
        plan.canonical.append(CanonicalFile(path, table, CANONICAL_SUFFIXES[suffix]))
        return
    if fmt == CANONICAL:
        raise UserError(
            f"{path}: not a contract table file; names must start with a table name "
            f"({', '.join(TABLES)}) and end in .csv, .csv.gz, .jsonl, .jsonl.gz or .parquet"
        )
    if suffix in JSON_SUFFIXES:
        adapter, role = _sniff(path, fmt)
        if adapter is not None and role is not None:
            plan.adapter_files.setdefault(adapter, {}).setdefault(role, []).append(path)
            return
    raise UserError(
        f"{path}: cannot tell which table or log format this is; name contract files after "
        f"their table ({', '.join(TABLES)}), or give --format "
        f"({', '.join([CANONICAL, *ADAPTERS])})"
    )


def _sniff(path: Path, fmt: str | None) -> tuple[str | None, str | None]:
    """(format, role) of a JSON file in a Dutch standard, from its first record."""
    first = next((v for _, v in load_json_values(path) if not isinstance(v, Reject)), None)
    if first is None:
        return None, None
    if fmt:
        return fmt, ADAPTERS[fmt].sniff(first)
    found = sniff_format(first)
    return found if found else (None, None)

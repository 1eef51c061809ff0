"""What every adapter for a Dutch log or register standard produces.

Adapters translate a source format (VNG Verwerkingenlogging, Logboek Dataverwerkingen, ZGW
Zaken, BRP Personen) *into* contract rows. They do not validate contract rules themselves:
their rows go through the same validation as a canonical CSV, so a BSN that fails the
elfproef is quarantined by the same code whatever format it came in. An adapter rejects only
what it cannot map at all (an unknown account, a span without a user, a record that is not an
object), with a reason a person can act on. Nothing is ever dropped silently.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

Value = str | list[str] | None


@dataclass(frozen=True)
class SourceRecord:
    """One contract row produced by an adapter, with a pointer back to its origin.

    ``values`` holds contract columns as text (lists as ``list[str]``); absent is ``None``.
    ``locator`` says where in ``source_file`` the record came from ("record 3", "line 7",
    "span 0ac8…:f084…"); ``raw`` is the original record as JSON text, kept whole if the row
    ends up in quarantine.
    """

    table: str
    source_file: str
    locator: str
    values: dict[str, Value]
    raw: str


@dataclass(frozen=True)
class Reject:
    """A source record that could not be mapped onto the contract at all."""

    table: str
    source_file: str
    locator: str
    field: str | None
    reason: str
    raw: str


@dataclass
class AdapterOutput:
    """Everything an adapter made of its input files: rows per table, rejects and remarks.

    ``auxiliary`` counts input records that are not contract rows themselves but were used
    to build them (e.g. the access-decision log lines that name the user of an LDV span, or
    the ZGW ``rollen`` merged into ``cases``), so the summary can account for every input.
    """

    records: list[SourceRecord] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    auxiliary: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def extend(self, other: AdapterOutput) -> None:
        """Merge another adapter's output into this one."""
        self.records.extend(other.records)
        self.rejects.extend(other.rejects)
        for key, count in other.auxiliary.items():
            self.auxiliary[key] = self.auxiliary.get(key, 0) + count
        self.notes.extend(other.notes)


def raw_json(obj: Any) -> str:
    """The original record as compact JSON text, as stored in quarantine."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=str)


@dataclass(frozen=True)
class AccountMapping:
    """One row of the identity map: an account of a source system belongs to an employee."""

    source_system: str
    account: str
    employee_id: str
    valid_from: date | None = None
    valid_to: date | None = None

    def covers(self, day: date | None) -> bool:
        """True when this mapping is valid on ``day`` (or when the day is unknown)."""
        if day is None:
            return True
        if self.valid_from is not None and day < self.valid_from:
            return False
        return not (self.valid_to is not None and day > self.valid_to)


class AccountMap:
    """Maps (source system, account) to an ``employee_id``, respecting validity dates.

    Accounts are compared exactly; one employee may have several accounts; an account may be
    reused after someone leaves, hence the dates. The map is adapter configuration, kept
    with HR, not a contract table (see ``shared/domain/STANDARDS.md`` §5). A source system
    of ``*`` applies to every system.
    """

    FILE_NAME = "account_map.csv"
    COLUMNS = ("source_system", "account", "employee_id", "valid_from", "valid_to")

    def __init__(self, mappings: Iterable[AccountMapping] = ()) -> None:
        self._by_key: dict[tuple[str, str], list[AccountMapping]] = {}
        for mapping in mappings:
            self._by_key.setdefault((mapping.source_system, mapping.account), []).append(mapping)

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_key.values())

    def lookup(self, source_system: str, account: str, day: date | None) -> str | None:
        """The employee behind ``account`` on ``day``, or None when the map does not know."""
        for key in ((source_system, account), ("*", account)):
            for mapping in self._by_key.get(key, ()):
                if mapping.covers(day):
                    return mapping.employee_id
        return None

    @classmethod
    def from_csv(cls, path: Path) -> AccountMap:
        """Read an ``account_map.csv``; raises ValueError naming file, line and field."""
        mappings: list[AccountMapping] = []
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            missing = {"source_system", "account", "employee_id"} - set(reader.fieldnames or ())
            if missing:
                raise ValueError(f"{path}: header lacks column(s) {', '.join(sorted(missing))}")
            for row in reader:
                line = reader.line_num
                for required in ("source_system", "account", "employee_id"):
                    if not (row.get(required) or "").strip():
                        raise ValueError(f"{path}:{line}: field '{required}' is empty")
                mappings.append(
                    AccountMapping(
                        source_system=row["source_system"].strip(),
                        account=row["account"].strip(),
                        employee_id=row["employee_id"].strip(),
                        valid_from=_parse_day(row.get("valid_from"), path, line, "valid_from"),
                        valid_to=_parse_day(row.get("valid_to"), path, line, "valid_to"),
                    )
                )
        return cls(mappings)


def _parse_day(value: str | None, path: Path, line: int, column: str) -> date | None:
    if value is None or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(
            f"{path}:{line}: field '{column}' is not a date (YYYY-MM-DD): {value!r}"
        ) from None


@dataclass
class AdapterContext:
    """What adapters may need beyond their own files.

    ``zaak_uuid_map`` translates a ZGW zaak ``uuid`` into its ``identificatie`` so that a VNG
    ``verwerkingId`` that names a zaak becomes the event's ``case_id``; ingest fills it from
    ZGW files in the same run and from cases already in the store.
    """

    account_map: AccountMap = field(default_factory=AccountMap)
    zaak_uuid_map: dict[str, str] = field(default_factory=dict)
    source_system_names: dict[str, str] = field(default_factory=dict)

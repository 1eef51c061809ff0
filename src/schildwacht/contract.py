"""The Schildwacht data contract (version 1) as typed table specifications.

One place describes every contract table, so that ingest (validation), the simulator
(writing) and later the detector (reading) agree on names, types, keys and enums. The
prose source is ``shared/contract/CONTRACT.md``; this module must never change the meaning
of a field, only describe it for code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class ColumnType(StrEnum):
    """Logical column types of the contract (not storage types)."""

    STRING = "string"
    TIMESTAMP = "timestamp"  # ISO 8601; without offset it is Europe/Amsterdam local time
    DATE = "date"  # YYYY-MM-DD
    BSN = "bsn"  # 9 digits, leading zeros kept, passes the elfproef
    ENUM = "enum"
    LIST = "list"  # `|`-separated in CSV, arrays in JSONL/Parquet
    INTEGER = "integer"
    BOOLEAN = "boolean"


@dataclass(frozen=True)
class Column:
    """One contract column: its name, logical type, whether it is required, and its enum."""

    name: str
    type: ColumnType
    required: bool = False
    values: tuple[str, ...] = ()  # allowed values of an ENUM column
    meaning: str = ""


@dataclass(frozen=True)
class Table:
    """One contract table.

    ``key`` identifies a row: for ``events`` it is the duplicate key (a re-delivered event);
    for the context tables it is the snapshot key (re-ingesting replaces the row).
    """

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    required: bool = False
    is_snapshot: bool = True
    partition_column: str | None = None
    column_names: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "column_names", tuple(c.name for c in self.columns))

    def column(self, name: str) -> Column:
        """Return the column called ``name``; raises KeyError for an unknown name."""
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)


S, TS, D, B, E, L, INT, BO = (
    ColumnType.STRING,
    ColumnType.TIMESTAMP,
    ColumnType.DATE,
    ColumnType.BSN,
    ColumnType.ENUM,
    ColumnType.LIST,
    ColumnType.INTEGER,
    ColumnType.BOOLEAN,
)

ACTIONS = ("view", "search", "create", "update", "delete", "export", "print")
OUTCOMES = ("ok", "denied", "error")
RELATIONS = ("partner", "ex_partner", "parent", "child")
WATCHLIST_CATEGORIES = ("public_figure", "politician", "official", "protected", "other")
SENSITIVE_DATA_CATEGORIES = ("gezondheid", "jeugd", "strafrechtelijk", "financieel")

EVENTS = Table(
    "events",
    (
        Column("event_id", S, True, meaning="unique within source_system"),
        Column("occurred_at", TS, True, meaning="when the employee performed the action"),
        Column("source_system", S, True, meaning="application that logged it"),
        Column("employee_id", S, True, meaning="account of the person who acted"),
        Column("action", E, True, ACTIONS),
        Column("subject_bsn", B, meaning="whose data was touched"),
        Column("processing_activity", S, meaning="verwerkingsactiviteit"),
        Column("case_id", S, meaning="the zaak the application says the action belonged to"),
        Column("data_categories", L),
        Column("search_terms", S),
        Column("result_count", INT),
        Column("outcome", E, values=OUTCOMES),
        Column("client", S),
    ),
    key=("source_system", "event_id"),
    required=True,
    is_snapshot=False,
    partition_column="occurred_at",
)

EMPLOYEES = Table(
    "employees",
    (
        Column("employee_id", S, True),
        Column("given_name", S),
        Column("surname_prefix", S),
        Column("surname", S, True),
        Column("partner_surname", S),
        Column("bsn", B),
        Column("department", S, True),
        Column("team", S),
        Column("job_title", S),
        Column("postcode", S),
        Column("house_number", S),
        Column("employed_from", D),
        Column("employed_until", D),
        Column("service_account", BO),
    ),
    key=("employee_id",),
    required=True,
)

CASES = Table(
    "cases",
    (
        Column("case_id", S, True),
        Column("case_type", S),
        Column("subject_bsn", B, True),
        Column("assignee_employee_id", S),
        Column("assignee_team", S),
        Column("opened_at", TS, True),
        Column("closed_at", TS),
    ),
    key=("case_id", "subject_bsn"),
)

APPOINTMENTS = Table(
    "appointments",
    (
        Column("appointment_id", S, True),
        Column("subject_bsn", B, True),
        Column("employee_id", S),
        Column("team", S),
        Column("starts_at", TS, True),
        Column("service", S),
    ),
    key=("appointment_id",),
)

CITIZENS = Table(
    "citizens",
    (
        Column("bsn", B, True),
        Column("given_names", S),
        Column("surname_prefix", S),
        Column("surname", S, True),
        Column("birth_date", D),
        Column("postcode", S),
        Column("house_number", S),
        Column("confidential", BO),
        Column("deceased_on", D),
    ),
    key=("bsn",),
)

RELATIONS_TABLE = Table(
    "relations",
    (
        Column("bsn", B, True),
        Column("related_bsn", B, True),
        Column("relation", E, True, RELATIONS),
    ),
    key=("bsn", "related_bsn", "relation"),
)

WATCHLIST = Table(
    "watchlist",
    (
        Column("bsn", B, True),
        Column("category", E, True, WATCHLIST_CATEGORIES),
        Column("note", S),
    ),
    key=("bsn", "category"),
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (EVENTS, EMPLOYEES, CASES, APPOINTMENTS, CITIZENS, RELATIONS_TABLE, WATCHLIST)
}
"""Every contract table by name, in the order a data set is best ingested (events first)."""

CONTEXT_TABLES: tuple[str, ...] = tuple(n for n, t in TABLES.items() if t.is_snapshot)

LABELS_FILE = "labels.jsonl"
"""Ground truth of simulated or hand-labelled sets; recognised and never ingested."""

LIST_SEPARATOR = "|"


def bsn_is_valid(value: str) -> bool:
    """True when ``value`` is a 9-digit string that passes the elfproef and is not zero.

    This is the reference implementation used by the simulator and the adapters; ingest
    applies the same rule as a vectorised expression (see ``ingest.validate``).
    """
    if len(value) != 9 or not value.isascii() or not value.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(value, (9, 8, 7, 6, 5, 4, 3, 2, -1), strict=True))
    return total % 11 == 0 and value != "000000000"

"""The Art. 15 consultation report: when, where, why and how a person's data was used.

A resident may ask the municipality which consultations of their data took place. The CJEU
(C-579/21, *J.M. v Pankki S*, 22 June 2023) held that the right of access covers the dates
and purposes of those consultations, but not the identity of the employees who acted under
the controller's authority (BREACH.md §10). So this report answers from ``events`` with the
moment, the system, the action and the purpose (the *verwerkingsactiviteit*, plus the case
type when the consultation belonged to a case about this person) and deliberately never
reads an employee's id, name, department or team into its result. Releasing a name is a
separate decision after a balancing test with the FG, outside this report.

The report reads the store and records nothing: the caller (CLI or web page) records the
use in the audit trail with its own actor, so every use is recorded exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import ibis
import ibis.expr.types as ir

from schildwacht.app.evidence.reading import event_files
from schildwacht.app.evidence.service import display_name
from schildwacht.contract import bsn_is_valid
from schildwacht.errors import UserError
from schildwacht.store.sql import run as run_sql
from schildwacht.store.store import Store

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
LEGAL_NOTE = (
    "Art. 15 GDPR; the identity of the employees is not given (CJEU C-579/21, ECLI:EU:C:2023:501)"
)


@dataclass(frozen=True)
class Consultation:
    """One use of the person's data, without anything that identifies the employee.

    ``case_type`` is only given when the case is about this person: the type of a case about
    someone else (a relative's benefit, say) is that other person's data (Art. 15(4)).
    ``in_case`` still says the use belonged to a case. ``automated`` marks a batch job or an
    integration (a service account), so the person can tell a program from a colleague.
    """

    occurred_at: datetime  # tz-aware, Europe/Amsterdam
    source_system: str
    action: str
    processing_activity: str | None
    in_case: bool
    case_type: str | None
    data_categories: tuple[str, ...]
    outcome: str
    automated: bool


@dataclass(frozen=True)
class InzageReport:
    """Every consultation of one person's data in ``[start, end]`` (Dutch days), oldest first."""

    bsn: str
    name: str | None  # from the BRP extract; None when the extract does not hold the person
    start: date
    end: date
    created_at: datetime
    consultations: tuple[Consultation, ...]

    @property
    def purposes(self) -> tuple[str, ...]:
        """The distinct processing activities, for the report's explanation of purposes."""
        found = {c.processing_activity for c in self.consultations if c.processing_activity}
        return tuple(sorted(found))


def consultations(
    store: Store, bsn: str, *, start: date, end: date, now: datetime | None = None
) -> InzageReport:
    """The report for ``bsn`` over the Amsterdam days ``start`` to ``end`` inclusive."""
    _check(store, bsn, start, end)
    first, last = day_bounds(start, end)
    files = event_files(store, start, end)  # partitions are Amsterdam days: exact pruning
    backend = _connect(store)
    try:
        rows = _consultation_rows(backend, store, files, bsn, first, last) if files else []
        name = _citizen_name(backend, store, bsn)
    finally:
        backend.disconnect()
    rows.sort(key=lambda r: (r["occurred_at"], r["source_system"], r["event_id"]))
    found = tuple(_consultation(row) for row in rows)
    created = (now or datetime.now(UTC)).astimezone(AMSTERDAM)
    return InzageReport(bsn, name, start, end, created, found)


def day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """``[start 00:00, the day after end 00:00)`` in Dutch time: DST-correct, inclusive days."""
    first = datetime.combine(start, time(), AMSTERDAM)
    last = datetime.combine(end + timedelta(days=1), time(), AMSTERDAM)
    return first, last


def _check(store: Store, bsn: str, start: date, end: date) -> None:
    if not bsn_is_valid(bsn):
        raise UserError(f"{bsn!r} is not a valid BSN (9 digits that pass the elfproef)")
    if start > end:
        raise UserError(f"the period starts ({start}) after it ends ({end})")
    if not store.exists():
        raise UserError(f"no store at {store.root}; run 'schildwacht ingest' first")


def _connect(store: Store) -> ibis.BaseBackend:
    """An Ibis backend on the store's DuckDB; one person's events need no large memory."""
    con = store.connect()
    backend = ibis.duckdb.from_connection(con)
    run_sql(con, "SET TimeZone = 'Europe/Amsterdam'")  # Ibis sets UTC; days are Dutch days
    return backend


def _consultation_rows(
    backend: ibis.BaseBackend,
    store: Store,
    files: list[str],
    bsn: str,
    first: datetime,
    last: datetime,
) -> list[dict[str, Any]]:
    """The person's events in the period with case type and batch flag, no employee fields.

    The employee id is used only inside the query, to join the staff records'
    ``service_account`` flag; it is not among the selected columns.
    """
    ev = backend.read_parquet(files)
    mine = ev.filter((ev.subject_bsn == bsn) & (ev.occurred_at >= first) & (ev.occurred_at < last))
    cases = _case_types(backend, store, mine, bsn)
    staff = _service_accounts(backend, store)
    joined = mine.left_join(cases, mine.case_id == cases.k_case_id).left_join(
        staff, mine.employee_id == staff.k_employee_id
    )
    query = joined.select(
        event_id=mine.event_id,
        occurred_at=mine.occurred_at,
        source_system=mine.source_system,
        action=mine.action,
        processing_activity=mine.processing_activity,
        in_case=mine.case_id.notnull(),
        case_type=ibis.ifelse(cases.about_subject.fill_null(False), cases.case_type, None),
        data_categories=mine.data_categories,
        outcome=mine.outcome,
        automated=staff.automated.fill_null(False),
    )
    return list(query.to_pyarrow().to_pylist())


def _case_types(backend: ibis.BaseBackend, store: Store, mine: ir.Table, bsn: str) -> ir.Table:
    """Per case of the person's events: its type, and whether the person is a *betrokkene*."""
    files = [str(p) for p in store.files("cases")]
    if not files:
        return ibis.memtable(
            {"k_case_id": [], "case_type": [], "about_subject": []},
            schema={"k_case_id": "string", "case_type": "string", "about_subject": "boolean"},
        )
    c = backend.read_parquet(files)
    c = c.filter(c.case_id.isin(mine.case_id))
    return c.group_by(k_case_id=c.case_id).agg(
        case_type=c.case_type.max(), about_subject=(c.subject_bsn == bsn).any()
    )


def _service_accounts(backend: ibis.BaseBackend, store: Store) -> ir.Table:
    """Which accounts are batch jobs or integrations, from the staff records."""
    files = [str(p) for p in store.files("employees")]
    if not files:
        return ibis.memtable(
            {"k_employee_id": [], "automated": []},
            schema={"k_employee_id": "string", "automated": "boolean"},
        )
    e = backend.read_parquet(files)
    return e.group_by(k_employee_id=e.employee_id).agg(
        automated=e.service_account.fill_null(False).any()
    )


def _citizen_name(backend: ibis.BaseBackend, store: Store, bsn: str) -> str | None:
    """The person's name from the BRP extract, for the report's header."""
    files = [str(p) for p in store.files("citizens")]
    if not files:
        return None
    c = backend.read_parquet(files)
    found = (
        c.filter(c.bsn == bsn)
        .select("given_names", "surname_prefix", "surname")
        .limit(1)
        .to_pyarrow()
        .to_pylist()
    )
    if not found:
        return None
    row = found[0]
    return display_name(row["given_names"], row["surname_prefix"], row["surname"]) or None


def _consultation(row: dict[str, Any]) -> Consultation:
    return Consultation(
        occurred_at=row["occurred_at"].astimezone(AMSTERDAM),
        source_system=str(row["source_system"]),
        action=str(row["action"]),
        processing_activity=row["processing_activity"] or None,
        in_case=bool(row["in_case"]),
        case_type=row["case_type"] or None,
        data_categories=tuple(row["data_categories"] or ()),
        outcome=str(row["outcome"] or "ok"),
        automated=bool(row["automated"]),
    )


def as_json(report: InzageReport) -> dict[str, Any]:
    """The report as plain JSON values: times with their offset, no employee fields."""
    return {
        "bsn": report.bsn,
        "name": report.name,
        "period": {
            "from": report.start.isoformat(),
            "to": report.end.isoformat(),
            "time_zone": "Europe/Amsterdam",
        },
        "created_at": report.created_at.isoformat(timespec="seconds"),
        "count": len(report.consultations),
        "consultations": [_consultation_json(c) for c in report.consultations],
        "legal_note": LEGAL_NOTE,
    }


def _consultation_json(c: Consultation) -> dict[str, Any]:
    return {
        "occurred_at": c.occurred_at.isoformat(timespec="seconds"),
        "system": c.source_system,
        "action": c.action,
        "purpose": {
            "processing_activity": c.processing_activity,
            "in_case": c.in_case,
            "case_type": c.case_type,
        },
        "data_categories": list(c.data_categories),
        "outcome": c.outcome,
        "automated": c.automated,
    }

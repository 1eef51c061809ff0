"""Read-only evidence for the alert page: events, activity timeline, names, staff profile.

Every function opens its own short DuckDB connection on the store and closes it, so the web
app can call them from any request. Values only ever reach SQL through Ibis expressions.
Explanation statuses come from detection's own explanation stage, with the store's
settings, so the page says what detection decided and never a second opinion.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, datetime, timedelta
from typing import Any

import ibis
import ibis.expr.types as ir

from schildwacht.app.alerts.models import Alert
from schildwacht.app.evidence.models import DayActivity, EmployeeProfile, EvidenceEvent, Timeline
from schildwacht.app.evidence.reading import (
    AMSTERDAM,
    context,
    employee_events,
    event_files,
    explained_accesses,
    explanation_params,
    local_day,
    open_backend,
    read_table,
)
from schildwacht.config import Settings
from schildwacht.detect.evidence import WEAK
from schildwacht.store.store import Store

PERIOD_MARGIN = timedelta(days=1)
"""Alert spans are exact instants; a day either side of the span covers any edge of a
partition day without a second look."""


def alert_evidence(
    store: Store, alert: Alert, *, limit: int = 500, settings: Settings | None = None
) -> list[EvidenceEvent]:
    """The alert's evidence events, newest first, each with its explanation status.

    Only the partitions of the alert's span are read; if some evidence lies outside it (it
    should not), every partition is read for this employee rather than hide evidence.
    """
    keys = list(dict.fromkeys(alert.event_ids))
    if not keys or limit <= 0:
        return []
    first = local_day(alert.first_seen - PERIOD_MARGIN)
    last = local_day(alert.last_seen + PERIOD_MARGIN)
    narrow, every = event_files(store, first, last), event_files(store)
    if not every:
        return []
    params = explanation_params(store, settings)
    with open_backend(store) as backend:
        rows = _evidence_rows(backend, store, params, alert.employee_id, keys, narrow, limit)
        if len(rows) < min(len(keys), limit) and len(every) > len(narrow):
            rows = _evidence_rows(backend, store, params, alert.employee_id, keys, every, limit)
    return [_evidence_event(row) for row in rows]


def _evidence_rows(
    backend: ibis.BaseBackend,
    store: Store,
    params: dict[str, Any],
    employee_id: str,
    keys: list[str],
    files: list[str],
    limit: int,
) -> list[dict[str, Any]]:
    if not files:
        return []
    ev = employee_events(backend, files, employee_id)
    ev = ev.filter((ev.source_system + ":" + ev.event_id).isin(keys))
    judged = explained_accesses(context(backend, store, ev, params))
    raw = ev.view()  # a fresh reference: ``judged`` is derived from ``ev`` too
    extra = raw.select(
        x_key=raw.source_system + ":" + raw.event_id,
        event_id=raw.event_id,
        processing_activity=raw.processing_activity,
        client=raw.client,
    )
    out = judged.left_join(extra, judged.event_key == extra.x_key)
    out = out.order_by([ibis.desc("occurred_at"), ibis.desc("event_key")]).limit(limit)
    return list(out.to_pyarrow().to_pylist())


def _evidence_event(row: dict[str, Any]) -> EvidenceEvent:
    return EvidenceEvent(
        event_key=row["event_key"],
        source_system=row["source_system"],
        event_id=row["event_id"],
        occurred_at=row["occurred_at"].astimezone(AMSTERDAM),
        employee_id=row["employee_id"],
        action=row["action"],
        subject_bsn=row["subject_bsn"] or None,
        processing_activity=row["processing_activity"] or None,
        case_id=row["case_id"] or None,
        data_categories=tuple(row["data_categories"] or ()),
        search_terms=row["search_terms"] or None,
        result_count=row["result_count"],
        outcome=row["outcome"] or None,
        client=row["client"] or None,
        explained=bool(row["explained"]),
        explanation=row["explanation"],
    )


def activity_timeline(
    store: Store,
    *,
    employee_id: str,
    around: datetime,
    subject_bsns: Collection[str],
    days: int = 7,
    settings: Settings | None = None,
) -> Timeline:
    """The employee's accesses per Amsterdam day, ``days`` before to ``days`` after ``around``.

    Every day of the period has a row, also days without activity, so a chart shows quiet
    days as quiet rather than leaving them out.
    """
    if days < 0:
        raise ValueError("days must be 0 or more")
    centre = local_day(around)
    first, last = centre - timedelta(days=days), centre + timedelta(days=days)
    subjects = tuple(dict.fromkeys(subject_bsns))
    files = event_files(store, first, last)
    counts: dict[date, DayActivity] = {}
    if files:
        params = explanation_params(store, settings)
        with open_backend(store) as backend:
            ev = employee_events(backend, files, employee_id, first, last)
            judged = explained_accesses(context(backend, store, ev, params))
            counts = _day_counts(judged, subjects)
    rows = tuple(counts.get(day, DayActivity(day)) for day in _days(first, last))
    return Timeline(employee_id, centre, subjects, rows)


def _days(first: date, last: date) -> Iterable[date]:
    for n in range((last - first).days + 1):
        yield first + timedelta(days=n)


def _day_counts(judged: ir.Table, subjects: tuple[str, ...]) -> dict[date, DayActivity]:
    """Counts per day; "unexplained" as the scenarios count it (a routine is no reason)."""
    person = judged.subject_bsn.notnull()
    reason = (judged.explained & (judged.explanation != WEAK)).fill_null(False)
    metrics = {
        "explained": (person & reason).sum(),
        "unexplained": (person & ~reason).sum(),
        "without_subject": (~person).sum(),
    }
    if subjects:  # a volume alert has none; Ibis folds an empty ``isin`` into a constant
        mine = judged.subject_bsn.isin(subjects).fill_null(False)
        metrics |= {"subject": mine.sum(), "subject_unexplained": (mine & ~reason).sum()}
    per_day = judged.group_by("day").agg(**metrics)
    found: dict[date, DayActivity] = {}
    for row in per_day.to_pyarrow().to_pylist():
        counts = {k: int(v or 0) for k, v in row.items() if k != "day"}
        found[row["day"]] = DayActivity(day=row["day"], **counts)
    return found


def citizen_names(store: Store, bsns: Collection[str]) -> dict[str, str]:
    """Display names from the BRP extract; a BSN the extract does not hold is left out."""
    wanted = sorted(set(bsns))
    if not wanted or not store.files("citizens"):
        return {}
    with open_backend(store) as backend:
        c = read_table(backend, store, "citizens")
        rows = c.filter(c.bsn.isin(wanted)).select(
            "bsn", "given_names", "surname_prefix", "surname"
        )
        found = rows.to_pyarrow().to_pylist()
    names = {}
    for row in found:
        name = display_name(row["given_names"], row["surname_prefix"], row["surname"])
        if name:
            names[row["bsn"]] = name
    return names


def display_name(*parts: str | None) -> str:
    """Name parts in reading order, absent ones skipped: ``Sam van der Berg``."""
    return " ".join(p.strip() for p in parts if p and p.strip())


def employee_profile(store: Store, employee_id: str) -> EmployeeProfile | None:
    """The staff record behind an alert; None when the staff records do not know the id."""
    if not store.files("employees"):
        return None
    with open_backend(store) as backend:
        e = read_table(backend, store, "employees")
        found = e.filter(e.employee_id == employee_id).limit(1).to_pyarrow().to_pylist()
    if not found:
        return None
    row = found[0]
    return EmployeeProfile(
        employee_id=row["employee_id"],
        name=display_name(row["given_name"], row["surname_prefix"], row["surname"]),
        given_name=row["given_name"] or None,
        surname_prefix=row["surname_prefix"] or None,
        surname=row["surname"] or None,
        partner_surname=row["partner_surname"] or None,
        department=row["department"] or None,
        team=row["team"] or None,
        job_title=row["job_title"] or None,
        employed_from=row["employed_from"],
        employed_until=row["employed_until"],
        service_account=bool(row["service_account"]),
    )

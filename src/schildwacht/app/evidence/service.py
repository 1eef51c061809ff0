"""Read-only evidence for the alert page: events, activity timeline, names, staff profile.

Every function works on a connection of its own to the store's database in this process
(``database``) and closes it, so the web app can call them from any request;
``page.alert_page_evidence`` gathers a whole alert page on one connection. Values never
become SQL text (see ``queries``). Explanation statuses come from detection's own
explanation stage, with the store's settings, so the page says what detection decided and
never a second opinion.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, datetime, timedelta
from typing import Any

from schildwacht.app.alerts.models import Alert
from schildwacht.app.evidence.models import DayActivity, EmployeeProfile, EvidenceEvent, Timeline
from schildwacht.app.evidence.queries import Reader, open_reader
from schildwacht.app.evidence.reading import (
    AMSTERDAM,
    explanation_params,
    in_period,
    local_day,
    stored_files,
)
from schildwacht.config import Settings
from schildwacht.store.store import Store

PERIOD_MARGIN = timedelta(days=1)
"""Alert spans are exact instants; a day either side of the span covers any edge of a
partition day without a second look."""


def evidence_period(alert: Alert) -> tuple[date, date]:
    """The Amsterdam days whose partitions hold the alert's evidence."""
    return local_day(alert.first_seen - PERIOD_MARGIN), local_day(alert.last_seen + PERIOD_MARGIN)


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
    tables = stored_files(store)
    every = tables.get("events", [])
    if not every:
        return []
    narrow = in_period(every, *evidence_period(alert))
    params = explanation_params(store, settings)
    with open_reader(
        store, tables, employee_id=alert.employee_id, keys=keys, params=params
    ) as reader:
        rows = evidence_rows(reader, narrow, limit, keyed=True)
        if len(rows) < min(len(keys), limit) and len(every) > len(narrow):
            rows = evidence_rows(reader, every, limit, keyed=True)
    return [evidence_event(row) for row in rows]


def evidence_rows(
    reader: Reader, files: list[str], limit: int, *, keyed: bool
) -> list[dict[str, Any]]:
    """The alert's events among the employee's events in ``files``, newest first.

    ``keyed`` explains only the alert's own events; otherwise every event of the employee
    in ``files`` is explained (and stays available for ``day_counts``).
    """
    if not files:
        return []
    reader.bind_events(files)
    reader.judge(keyed=keyed)
    return reader.events("evidence")[:limit]


def evidence_event(row: dict[str, Any]) -> EvidenceEvent:
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
    first, last = timeline_period(around, days)
    subjects = tuple(dict.fromkeys(subject_bsns))
    tables = stored_files(store)
    files = in_period(tables.get("events", []), first, last)
    counts: dict[date, DayActivity] = {}
    if files:
        params = explanation_params(store, settings)
        with open_reader(
            store, tables, employee_id=employee_id, subjects=subjects, params=params
        ) as reader:
            reader.bind_events(files)
            reader.judge()
            counts = day_counts(reader)
    return timeline(employee_id, around, days, subjects, counts)


def timeline_period(around: datetime, days: int) -> tuple[date, date]:
    """The Amsterdam days ``days`` before to ``days`` after the day of ``around``."""
    if days < 0:
        raise ValueError("days must be 0 or more")
    centre = local_day(around)
    return centre - timedelta(days=days), centre + timedelta(days=days)


def timeline(
    employee_id: str,
    around: datetime,
    days: int,
    subjects: tuple[str, ...],
    counts: dict[date, DayActivity],
) -> Timeline:
    """The timeline of the period around ``around`` from the counts per day (days outside
    the period are ignored, days without counts are quiet)."""
    first, last = timeline_period(around, days)
    rows = tuple(counts.get(day, DayActivity(day)) for day in _days(first, last))
    return Timeline(employee_id, local_day(around), subjects, rows)


def _days(first: date, last: date) -> Iterable[date]:
    for n in range((last - first).days + 1):
        yield first + timedelta(days=n)


def day_counts(reader: Reader) -> dict[date, DayActivity]:
    """Counts per day of the judged events (``queries.day_counts_query``)."""
    found: dict[date, DayActivity] = {}
    for row in reader.events("days"):
        counts = {k: int(v or 0) for k, v in row.items() if k != "day"}
        found[row["day"]] = DayActivity(day=row["day"], **counts)
    return found


def citizen_names(store: Store, bsns: Collection[str]) -> dict[str, str]:
    """Display names from the BRP extract; a BSN the extract does not hold is left out."""
    wanted = sorted(set(bsns))
    tables = stored_files(store)
    if not wanted or not tables.get("citizens"):
        return {}
    with open_reader(store, tables, subjects=wanted) as reader:
        return names(reader.people("citizens"))


def names(citizens: list[dict[str, Any]]) -> dict[str, str]:
    """Display names by BSN from a reader's ``citizens`` rows."""
    found = {}
    for row in citizens:
        name = display_name(row["given_names"], row["surname_prefix"], row["surname"])
        if name:
            found[row["bsn"]] = name
    return found


def display_name(*parts: str | None) -> str:
    """Name parts in reading order, absent ones skipped: ``Sam van der Berg``."""
    return " ".join(p.strip() for p in parts if p and p.strip())


def employee_profile(store: Store, employee_id: str) -> EmployeeProfile | None:
    """The staff record behind an alert; None when the staff records do not know the id."""
    tables = stored_files(store)
    if not tables.get("employees"):
        return None
    with open_reader(store, tables, employee_id=employee_id) as reader:
        found = reader.people("profile")
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

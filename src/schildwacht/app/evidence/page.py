"""Everything the alert page shows from the event store, read on one connection.

The page needs the alert's evidence, the employee's activity around the alert, the ties to
the subjects and the subjects' names. Asked separately, each of these opens a connection
and reads and explains the employee's events again. Here the employee's events in the
partitions of both periods (the alert's span and the timeline's fortnight) are read once
and explained once, and the evidence and the timeline are both taken from them. The
results are exactly those of the separate functions in ``service`` and ``connections``.

``warm_up`` does at app start what the first page view would otherwise pay for: importing
Ibis's DuckDB backend, copying the store's context tables into the process's database
(``database``) and compiling the queries (``queries``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import duckdb

from schildwacht.app.alerts.models import Alert
from schildwacht.app.evidence.connections import connections
from schildwacht.app.evidence.database import StoreDatabase
from schildwacht.app.evidence.models import Connection, DayActivity, EvidenceEvent, Timeline
from schildwacht.app.evidence.queries import Reader, open_reader, reading
from schildwacht.app.evidence.reading import explanation_params, in_period, stored_files
from schildwacht.app.evidence.service import (
    day_counts,
    evidence_event,
    evidence_period,
    evidence_rows,
    names,
    timeline,
    timeline_period,
)
from schildwacht.config import Settings
from schildwacht.store.store import Store

TIMELINE_DAYS = 7


@dataclass(frozen=True)
class AlertPageEvidence:
    """What ``alert_evidence``, ``activity_timeline`` (around the alert's last access, with
    its subjects), ``subject_connections`` and ``citizen_names`` return for the alert."""

    evidence: list[EvidenceEvent]
    timeline: Timeline
    connections: list[Connection] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)


def alert_page_evidence(
    store: Store,
    alert: Alert,
    *,
    settings: Settings | None = None,
    limit: int = 200,
    days: int = TIMELINE_DAYS,
) -> AlertPageEvidence:
    """The alert page's evidence, timeline, connections and names, read on one connection.

    Equal to ``alert_evidence(store, alert, limit=limit)``, ``activity_timeline`` around
    ``alert.last_seen`` with the alert's subjects and ``days``, ``subject_connections`` and
    ``citizen_names`` of the alert's subjects.

    Only the event partitions of the alert's span and of the timeline are read, and only the
    employee's rows of them; evidence outside the span (there should be none) is still
    searched for in every partition, as ``alert_evidence`` does.
    """
    keys = list(dict.fromkeys(alert.event_ids))
    subjects = list(dict.fromkeys(alert.subject_bsns))
    first, last = timeline_period(alert.last_seen, days)
    tables = stored_files(store)
    every = tables.get("events", [])
    want_evidence = bool(keys) and limit > 0 and bool(every)
    narrow = set(in_period(every, *evidence_period(alert))) if want_evidence else set()
    around = set(in_period(every, first, last))
    window = [file for file in every if file in narrow or file in around]
    want_connections = bool(subjects) and bool(tables.get("employees"))
    want_names = bool(subjects) and bool(tables.get("citizens"))
    quiet = timeline(alert.employee_id, alert.last_seen, days, tuple(subjects), {})
    if not (want_evidence or around or want_connections or want_names):
        return AlertPageEvidence([], quiet)
    params = explanation_params(store, settings) if want_evidence or around else {}
    with open_reader(
        store, tables, employee_id=alert.employee_id, keys=keys, subjects=subjects,
        params=params,
    ) as reader:  # fmt: skip
        rows: list[dict[str, Any]] = []
        counts: dict[date, DayActivity] = {}
        if window:  # the employee's events of both periods, read and explained once for both
            reader.bind_events(window)
            reader.judge()
            rows = reader.events("evidence")[:limit] if want_evidence else []
            counts = day_counts(reader) if around else {}
        if want_evidence and len(rows) < min(len(keys), limit) and len(every) > len(window):
            rows = evidence_rows(reader, every, limit, keyed=True)
        citizens = reader.people("citizens") if want_names or want_connections else []
        found = connections(reader, subjects, citizens) if want_connections else []
    return AlertPageEvidence(
        evidence=[evidence_event(row) for row in rows] if want_evidence else [],
        timeline=timeline(alert.employee_id, alert.last_seen, days, tuple(subjects), counts),
        connections=found,
        names=names(citizens) if want_names else {},
    )


def warm_up(store: Store | None = None, *, settings: Settings | None = None) -> None:
    """Prepare this process for fast alert pages; call it once when the app starts.

    Imports Ibis's DuckDB backend and result converters and compiles the evidence queries.
    With a ``store`` that holds events it also copies the store's context tables into this
    process's database and compiles for the store's schema and detection settings
    (``settings``, by default the store's own, as the page uses), so the first page view is
    as fast as later ones; without one it only does the imports and an empty compile. Of
    the events it reads one file's employee column; it writes nothing. Call it in every
    worker process (after any fork), e.g. in the app's start-up hook.
    """
    tables = stored_files(store) if store is not None else {}
    events = tables.get("events", [])
    if store is not None and events:
        params = explanation_params(store, settings)
        with open_reader(store, tables, params=params) as reader:
            _exercise(reader, events[:1])
        return
    con = duckdb.connect()
    try:
        with reading(StoreDatabase(con), {}) as reader:
            _exercise(reader, [])
    finally:
        con.close()


def _exercise(reader: Reader, files: list[str]) -> None:
    """Run every query once (on an employee nobody is, so they find nothing)."""
    reader.bind_events(files)
    for keyed in (True, False):
        reader.judge(keyed=keyed)
        reader.events("evidence")
    reader.events("days")
    for name in ("me", "family", "citizens", "colleagues", "watchlist", "profile"):
        reader.people(name)

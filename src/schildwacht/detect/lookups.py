"""The reverse look-up: who opened this person's records in the days before an incident?

Investigations often start from a victim: a threat, an explosion at an address, a complaint.
DETECTION.md §4: widen the subject to the household (same address in the BRP extract) and
BRP relations, because the Amsterdam case targeted addresses, not named people; return every
access to that set in ``[T - N days, T]`` and every search whose terms name the victim's
surname or postcode, grouped by employee, each with its explanation.

Using this function is itself a processing of personal data that must be accountable
(BIO 2, STANDARDS.md §7): every use is recorded in the tool's hash-chained audit trail.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from schildwacht.detect.context import load_context
from schildwacht.detect.engine import connect
from schildwacht.detect.explanation import accesses, explained
from schildwacht.store.store import Store


@dataclass
class LookupResult:
    """Accesses to the victim and the household, grouped by employee."""

    subject_bsn: str
    before: datetime
    days: int
    people: dict[str, str]  # bsn -> why in the set ("slachtoffer", "huisgenoot", relation)
    by_employee: dict[str, list[dict[str, Any]]]


def _circle(ctx: Any, bsn: str) -> dict[str, str]:
    """The victim, housemates and BRP relatives, each with why they are included."""
    people = {bsn: "slachtoffer"}
    c = ctx.citizens
    me = c.filter(c.bsn == bsn).select("postcode", "house_number").to_pyarrow().to_pylist()
    if me and me[0]["postcode"]:
        home = c.filter(
            (c.postcode == me[0]["postcode"])
            & (c.house_number == me[0]["house_number"])
            & (c.bsn != bsn)
        )
        for row in home.select("bsn").to_pyarrow().to_pylist():
            people.setdefault(row["bsn"], "huisgenoot")
    r = ctx.relations
    ties = r.filter((r.bsn == bsn) | (r.related_bsn == bsn)).to_pyarrow().to_pylist()
    for tie in ties:
        other = tie["related_bsn"] if tie["bsn"] == bsn else tie["bsn"]
        people.setdefault(other, f"relatie ({tie['relation']})")
    return people


def find_accesses(store: Store, bsn: str, before: datetime, days: int) -> LookupResult:
    """Every access to the victim's circle in the window, and searches naming them.

    Records nothing: the caller records the use with its own actor (the CLI's OS user, the
    web app's signed-in user and address), so every use is recorded exactly once.
    """
    backend = connect(store)
    try:
        ctx = load_context(store, backend, {})
        people = _circle(ctx, bsn)
        c = ctx.citizens
        victim = c.filter(c.bsn == bsn).select("surname", "postcode").to_pyarrow().to_pylist()
        ev = accesses(ctx)
        window = (ev.occurred_at >= before - timedelta(days=days)) & (ev.occurred_at <= before)
        hit = ev.subject_bsn.isin(list(people))
        if victim:
            terms = ev.search_terms.fill_null("").lower()
            for value in (victim[0]["surname"], victim[0]["postcode"]):
                if value:
                    hit = hit | ((ev.action == "search") & terms.contains(str(value).lower()))
        rows = explained(ctx, ev.filter(window & hit)).order_by("occurred_at")
        by_employee: dict[str, list[dict[str, Any]]] = {}
        for row in rows.to_pyarrow().to_pylist():
            row["why_included"] = people.get(row["subject_bsn"] or "", "zoekterm")
            by_employee.setdefault(str(row["employee_id"]), []).append(row)
    finally:
        backend.disconnect()
    return LookupResult(bsn, before, days, people, by_employee)


def reverse_lookup(store: Store, bsn: str, before: datetime, days: int) -> LookupResult:
    """``find_accesses``, recorded in the audit trail with the OS user as actor (the CLI)."""
    result = find_accesses(store, bsn, before, days)
    _log_use(store, bsn, before, days, len(result.by_employee))
    return result


def _log_use(store: Store, bsn: str, before: datetime, days: int, employees: int) -> None:
    from schildwacht.app.audit.service import append
    from schildwacht.app.db import open_database
    from schildwacht.config import load_settings

    details = {"before": before.isoformat(), "days": days, "employees_found": employees}
    with open_database(load_settings(store.root)).begin() as session:
        append(session, actor=getpass.getuser(), action="lookups", target=bsn, details=details)


def parse_moment(text: str | None) -> datetime:
    """``--before``: ISO 8601; without offset it is Dutch local time; default now."""
    if not text:
        return datetime.now(UTC)
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        from zoneinfo import ZoneInfo

        moment = moment.replace(tzinfo=ZoneInfo("Europe/Amsterdam"))
    return moment

"""Reading the audit trail for people: a page at a time, filtered, and whole for export.

Reading never changes the trail; the caller records the reading itself (``audit_viewed``,
``audit_exported``) with ``service.append``, as NEN 7513 expects.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from schildwacht.app.audit.models import AuditEntry, AuditRecord

PAGE_SIZE = 50
EXPORT_COLUMNS = (
    "seq", "at", "actor", "action", "target", "details", "client", "prev_hash", "entry_hash",
)  # fmt: skip


@dataclass(frozen=True)
class AuditPage:
    """One page of entries, newest first, and where it lies in the (filtered) whole."""

    entries: list[AuditEntry]
    total: int
    page: int
    pages: int


def _conditions(action: str | None, actor: str | None) -> list[Any]:
    conditions: list[Any] = []
    if action:
        conditions.append(AuditRecord.action == action)
    if actor:
        conditions.append(AuditRecord.actor == actor)
    return conditions


def audit_page(
    session: Session,
    *,
    page: int = 1,
    action: str | None = None,
    actor: str | None = None,
    size: int = PAGE_SIZE,
) -> AuditPage:
    """Entries ``size`` at a time, newest first; a page past the end shows the last page."""
    conditions = _conditions(action, actor)
    total = session.execute(
        sa.select(sa.func.count()).select_from(AuditRecord).where(*conditions)
    ).scalar_one()
    pages = max(1, -(-total // size))
    page = min(max(1, page), pages)
    query = (
        sa.select(AuditRecord)
        .where(*conditions)
        .order_by(AuditRecord.seq.desc())
        .offset((page - 1) * size)
        .limit(size)
    )
    entries = [AuditEntry.from_record(r) for r in session.execute(query).scalars()]
    return AuditPage(entries, total, page, pages)


def audit_actions(session: Session) -> list[str]:
    """Every action that occurs in the trail, for the filter."""
    query = sa.select(AuditRecord.action).distinct().order_by(AuditRecord.action)
    return list(session.execute(query).scalars())


def all_entries(session: Session) -> Iterator[AuditEntry]:
    """The whole trail in order (oldest first), read in chunks."""
    query = sa.select(AuditRecord).order_by(AuditRecord.seq).execution_options(yield_per=1000)
    for row in session.execute(query).scalars():
        yield AuditEntry.from_record(row)


def _plain(entry: AuditEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq, "at": entry.at.isoformat(), "actor": entry.actor,
        "action": entry.action, "target": entry.target, "details": entry.details,
        "client": entry.client, "prev_hash": entry.prev_hash, "entry_hash": entry.entry_hash,
    }  # fmt: skip


def export_text(session: Session, *, fmt: str) -> str:
    """The whole trail as CSV (details as JSON text) or JSON Lines, hashes included.

    With the hashes an outside party can check the chain without access to the database.
    """
    if fmt == "jsonl":
        return "".join(
            json.dumps(_plain(e), ensure_ascii=False, sort_keys=True) + "\n"
            for e in all_entries(session)
        )
    if fmt != "csv":
        raise ValueError(f"unknown export format {fmt!r}")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for entry in all_entries(session):
        row = _plain(entry)
        row["details"] = json.dumps(entry.details, ensure_ascii=False, sort_keys=True)
        writer.writerow(row)
    return buffer.getvalue()

"""``schildwacht explain-stats``: how much of the work the explanation stage explains.

Published logs reached 90-94 % explained (DETECTION.md §3.1). The share per department and
per source system shows where cases or appointments are missing from the data; the shape of
the unexplained remainder (which teams, actions, hours) shows what to add: a missing case
feed, a team that works without cases, a batch job without ``service_account``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ibis.expr.types as ir

from schildwacht.detect.context import load_context
from schildwacht.detect.engine import connect
from schildwacht.detect.evidence import off_hours
from schildwacht.detect.explanation import accesses, explained
from schildwacht.store.store import Store


@dataclass
class ExplainStats:
    """Rows of (group, accesses, explained share) and the unexplained remainder."""

    total: int
    explained_share: float
    by_department: list[dict[str, Any]]
    by_source_system: list[dict[str, Any]]
    by_explanation: list[dict[str, Any]]
    unexplained_by_team: list[dict[str, Any]]
    unexplained_by_action: list[dict[str, Any]]
    unexplained_off_hours_share: float

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _share(t: ir.Table, by: str) -> list[dict[str, Any]]:
    grouped = t.group_by(by).agg(
        accesses=t.count(), explained=t.explained.sum(), service_accounts=t.service_account.sum()
    )
    rows = grouped.to_pyarrow().to_pylist()
    for row in rows:
        share = row["explained"] / row["accesses"] if row["accesses"] else 0.0
        row["explained_share"] = round(share, 4)
    return sorted(rows, key=lambda r: -r["accesses"])


def explain_stats(store: Store, params: dict[str, Any]) -> ExplainStats:
    """Explained shares of every access to a citizen (events with a ``subject_bsn``)."""
    backend = connect(store)
    ctx = load_context(store, backend, params)
    acc = explained(ctx, accesses(ctx))
    acc = acc.filter(acc.subject_bsn.notnull())
    acc = acc.mutate(
        department=acc.department.fill_null("(onbekend)"), team=acc.team.fill_null("(onbekend)")
    )
    totals = acc.agg(n=acc.count(), e=acc.explained.sum()).to_pyarrow().to_pylist()[0]
    rest = acc.filter(~acc.explained)
    kinds = (
        acc.group_by(explanation=acc.explanation.fill_null("(onverklaard)"))
        .agg(accesses=acc.count())
        .to_pyarrow()
        .to_pylist()
    )
    teams = (
        rest.group_by(["department", "team"])
        .agg(
            unexplained=rest.count(),
            employees=rest.employee_id.nunique(),
            service_accounts=rest.service_account.sum(),
        )
        .to_pyarrow()
        .to_pylist()
    )
    actions = rest.group_by("action").agg(unexplained=rest.count()).to_pyarrow().to_pylist()
    start = int(params.get("scoring.off_hours_start", 19))
    end = int(params.get("scoring.off_hours_end", 6))
    odd = rest.agg(o=off_hours(rest, start, end).sum(), n=rest.count()).to_pyarrow().to_pylist()[0]
    total = int(totals["n"] or 0)
    return ExplainStats(
        total=total,
        explained_share=round((totals["e"] or 0) / total, 4) if total else 0.0,
        by_department=_share(acc, "department"),
        by_source_system=_share(acc, "source_system"),
        by_explanation=sorted(kinds, key=lambda r: -r["accesses"]),
        unexplained_by_team=sorted(teams, key=lambda r: -r["unexplained"])[:20],
        unexplained_by_action=sorted(actions, key=lambda r: -r["unexplained"]),
        unexplained_off_hours_share=round((odd["o"] or 0) / odd["n"], 4) if odd["n"] else 0.0,
    )

"""Pieces several scenarios share: pair columns, modifiers, and the way explained access
weakens a relationship finding. Kept small: a scenario should read on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ibis.expr.types as ir

from schildwacht.detect.evidence import MAX_KEYS, Evidence, in_time_order
from schildwacht.detect.model import Reason
from schildwacht.detect.scenarios.base import plural

PAIR_COLUMNS = ("employee_id", "subject_bsn")


def pair_finding(ev: Evidence, p: ir.Table, *extra: str, all_events: bool = False) -> ir.Table:
    """Standard finding columns from the enriched pair table, plus ``extra`` details.

    ``all_events`` takes every access as evidence (relationship scenarios); otherwise only
    the accesses without a personal work reason count. The evidence events are collected
    here, for the few pairs a scenario keeps, not for every pair in the municipality.
    """
    first = p.all_first if all_events else p.u_first
    last = p.all_last if all_events else p.u_last
    found = p.select(
        "employee_id", "subject_bsn", *extra,
        first_seen=first, last_seen=last,
        n_all=p.n_all, n_unexplained=p.n_unexplained, n_strong=p.n_strong.fill_null(0),
        n_weak=p.n_weak, u_visits=p.u_visits, all_visits=p.all_visits,
        u_days=p.u_days, u_offhours=p.u_offhours, u_export=p.u_export,
        u_sensitive=p.u_sensitive, u_update=p.u_update, colleagues=p.colleagues,
        minor=p.minor, deceased=p.deceased, department=p.department, team=p.team,
        team_rate=p.team_rate.fill_null(0.0),
    )  # fmt: skip
    a = ev.acc if all_events else ev.acc.filter(~ev.acc.has_reason)
    wanted = found.select(k_emp=found.employee_id, k_sub=found.subject_bsn)
    hits = a.join(wanted, (a.employee_id == wanted.k_emp) & (a.subject_bsn == wanted.k_sub))
    keys = hits.group_by(["k_emp", "k_sub"]).agg(
        event_keys=in_time_order(hits.occurred_at, hits.event_key, MAX_KEYS)
    )
    joined = found.left_join(
        keys, (found.employee_id == keys.k_emp) & (found.subject_bsn == keys.k_sub)
    )
    return joined.drop("k_emp", "k_sub")


def looks(row: dict[str, Any], all_events: bool = False) -> int:
    """How many times the employee looked: distinct hours with access, not log lines
    (opening one record writes several lines)."""
    return int(row["all_visits"] if all_events else row["u_visits"])


def team_baseline(ev: Evidence, per_employee: ir.Table, column: str) -> ir.Table:
    """The median of ``column`` over *every* active member of each team (0 when absent).

    A peer baseline over only the employees who show the behaviour would be the
    behaviour itself; the team's normal includes everyone who did not.
    """
    members = (
        ev.acc.filter(~ev.acc.service_account)
        .group_by("employee_id")
        .agg(m_team=ev.acc.team.arbitrary())
    )
    values = per_employee.select(v_id=per_employee.employee_id, v=per_employee[column])
    joined = members.left_join(values, members.employee_id == values.v_id)
    joined = joined.mutate(v=joined.v.fill_null(0))
    return joined.group_by(team=joined.m_team).agg(team_median=joined.v.median())


def rarity(row: dict[str, Any], weight: float) -> float:
    """How telling one unexplained access is, given how common they are in the team.

    In a front-office team where walk-ins leave many accesses unexplained, one more says
    little; in a team whose work is nearly always on record, it says much. 1.0 when the team
    never leaves access unexplained, falling towards 0 as unexplained work becomes normal.
    """
    return 1.0 / (1.0 + weight * float(row.get("team_rate") or 0.0))


def repeat_factor(visits: int, cap: int = 4) -> float:
    """Looking again weighs more, with diminishing returns: sqrt of the visits, capped."""
    return float(min(max(visits, 1), cap)) ** 0.5


def times_nl(n: int) -> str:
    return plural(n, "keer", "keer")


def times_en(n: int) -> str:
    return plural(n, "time", "times")


def work_reason_factor(row: dict[str, Any], code: str) -> tuple[float, list[Reason]]:
    """How much an explained relationship access still weighs, and the reason to say so.

    Unexplained: full weight. Explained by the employee's own case or appointment: the
    relative is a client of the employee, a conflict of interest that should have been
    reassigned (DETECTION.md's look-alike), so a quarter of the weight. Explained by the team
    only: a fifth.
    """
    if row["n_unexplained"]:
        reason = Reason(
            code, "unexplained",
            "geen zaak of afspraak verklaart dit",
            "no case or appointment explains this", 0.0,
        )  # fmt: skip
        return 1.0, [reason]
    if row["n_strong"]:
        reason = Reason(
            code, "conflict_of_interest",
            "de medewerker behandelt zelf een zaak of afspraak van deze persoon "
            "(belangenverstrengeling: had overgedragen moeten worden)",
            "the employee handles this person's case or appointment personally "
            "(conflict of interest: should have been reassigned)", 0.0,
        )  # fmt: skip
        return 0.25, [reason]
    reason = Reason(
        code, "team_client",
        "de persoon is cliënt van het eigen team",
        "the person is a client of the employee's own team", 0.0,
    )  # fmt: skip
    return 0.2, [reason]


@dataclass(frozen=True)
class Modifier:
    """A circumstance that weighs a finding up or down (not an alert on its own)."""

    code: str
    field: str  # the finding column that holds the evidence
    minimum: int  # the circumstance holds when that column reaches this value
    factor: float
    text_nl: str
    text_en: str


MODIFIERS = (
    # legitimate unexplained work almost never brings someone back to the same person on
    # another day (about 1 in 1,000 such pairs in the simulated town); snooping often does
    Modifier("returned", "u_days", 2, 1.5, "kwam op een andere dag terug",
             "came back on another day"),
    Modifier("off_hours", "u_offhours", 1, 1.2, "buiten kantoortijd", "outside office hours"),
    Modifier("sensitive_data", "u_sensitive", 1, 1.2, "met gevoelige gegevens",
             "involving sensitive data"),
    Modifier("export_print", "u_export", 1, 1.15, "met export of afdruk",
             "with an export or print"),
    Modifier("changed", "u_update", 1, 1.15, "met wijziging van gegevens",
             "with changes to the data"),
    Modifier("minor", "minor", 1, 1.1, "de persoon is minderjarig", "the person is a minor"),
    # after-death administration is normal work
    Modifier("deceased", "deceased", 1, 0.6, "de persoon is overleden", "the person has died"),
)  # fmt: skip
"""DETECTION.md's modifiers, plus coming back on another day."""


def modifiers(row: dict[str, Any], scenario: str) -> tuple[float, list[Reason]]:
    """The combined factor of every modifier that holds for ``row``, and its reasons."""
    factor, reasons = 1.0, []
    for m in MODIFIERS:
        value = int(row.get(m.field) or 0)
        if value >= m.minimum:
            factor *= m.factor
            reasons.append(Reason(scenario, m.code, m.text_nl, m.text_en, 0.0, {"n": value}))
    return factor, reasons

"""``schildwacht alerts ...`` and ``schildwacht suppress ...``: thin commands over the services.

Registered in ``cli.py`` with ``app.add_typer(alerts_app, name="alerts")`` and
``app.add_typer(suppress_app, name="suppress")``. The store comes from the global ``--store``
option, read from ``cli_state.State`` when a command runs (the option is parsed after import).
"""

from __future__ import annotations

import getpass
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from zoneinfo import ZoneInfo

import typer
from rich.console import Console
from rich.table import Table

from schildwacht.errors import UserError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from schildwacht.app.alerts.models import Alert
    from schildwacht.app.suppressions.models import Suppression

alerts_app = typer.Typer(help="List and export the alerts detection found.", no_args_is_help=True)
suppress_app = typer.Typer(
    help="Silence known legitimate patterns, with a reason and an expiry date.",
    no_args_is_help=True,
)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _console() -> Console:
    """A console made per command, so it measures the terminal (or COLUMNS) of this run."""
    return Console()


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"


def _sessions() -> sessionmaker[Session]:
    """Sessions on the store's application database (migrated on open)."""
    from schildwacht.app.db import open_database
    from schildwacht.cli_state import State
    from schildwacht.config import load_settings

    root = State.store.root
    if not root.is_dir():
        raise UserError(f"no store at {root}; run 'schildwacht ingest' first or pass --store")
    return open_database(load_settings(root))


def _date(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UserError(f"{option} {value!r} is not a date (YYYY-MM-DD)") from None


def _scenario(value: str | None) -> str | None:
    from schildwacht.config import SCENARIO_CODES

    if value is not None and value not in SCENARIO_CODES:
        raise UserError(f"unknown scenario {value!r}; known: {', '.join(SCENARIO_CODES)}")
    return value


def mask_bsn(bsn: str) -> str:
    """A BSN with all but the last three digits hidden, for screens others may see."""
    return "*" * max(len(bsn) - 3, 0) + bsn[-3:]


def _local(value: datetime | None) -> str:
    return value.astimezone(AMSTERDAM).strftime("%Y-%m-%d %H:%M") if value else ""


WIDE = 130  # below this many columns, alerts are shown in three columns so nothing is cut


SHOWN_SUBJECTS = 3


def _subjects(bsns: Sequence[str]) -> str:
    """Masked BSNs, at most a few: a harvesting alert may list hundreds of people."""
    shown = ", ".join(mask_bsn(b) for b in bsns[:SHOWN_SUBJECTS]) or "-"
    rest = len(bsns) - SHOWN_SUBJECTS
    return f"{shown} (+{rest})" if rest > 0 else shown


def _alerts_table(alerts: list[Alert], *, wide: bool) -> Table:
    """The alerts as a table: one column per field when wide, three stacked ones when not."""
    noun = "alert" if len(alerts) == 1 else "alerts"
    table = Table(title=f"{len(alerts)} {noun}, highest score first", show_lines=True)
    table.add_column("score", justify="right", no_wrap=True)
    if wide:
        for column in ("alert", "employee", "subjects", "scenarios", "first / last seen"):
            table.add_column(column, no_wrap=column != "subjects")
    else:
        table.add_column("alert, employee, seen", overflow="fold")
    table.add_column("summary", min_width=20)
    for alert in alerts:
        subjects = _subjects(alert.subject_bsns)
        seen = f"{_local(alert.first_seen)}\n{_local(alert.last_seen)}"
        if wide:
            cells = [alert.alert_id, alert.employee_id, subjects, "\n".join(alert.scenarios), seen]
        else:
            cells = [f"{alert.alert_id}\nemployee {alert.employee_id}\n{seen}"]
            summary = f"{', '.join(alert.scenarios)}; subjects {subjects}\n{alert.summary_nl}"
        table.add_row(f"{alert.score:.1f}", *cells, alert.summary_nl if wide else summary)
    return table


@alerts_app.command("list")
def alerts_list(
    top: Annotated[int | None, typer.Option("--top", min=1, help="Show at most N alerts.")] = None,
    scenario: Annotated[
        str | None, typer.Option("--scenario", help="Only alerts in which this scenario fired.")
    ] = None,
    min_score: Annotated[
        float | None,
        typer.Option("--min-score", min=0, max=100, help="Only alerts scoring at least this."),
    ] = None,
) -> None:
    """Show alerts, highest score first (BSNs masked to their last three digits)."""
    from schildwacht.app.alerts.service import list_alerts

    code = _scenario(scenario)
    with _sessions().begin() as session:
        alerts = list_alerts(session, top=top, scenario=code, min_score=min_score)
    if not alerts:
        _console().print("No alerts. Run 'schildwacht detect' first, or relax the filters.")
        return
    console = _console()
    console.print(_alerts_table(alerts, wide=console.width >= WIDE))


@alerts_app.command("export")
def alerts_export(
    fmt: Annotated[ExportFormat, typer.Option("--format", help="File format.")],
    output: Annotated[Path, typer.Option("--output", help="File to write.")],
) -> None:
    """Write every alert in the contract's export format, highest score first."""
    from schildwacht.app.alerts.service import export_alerts

    with _sessions().begin() as session:
        count = export_alerts(session, fmt=fmt.value, output=output)
    _console().print(f"{count:,} alerts written to {output}", highlight=False)


@suppress_app.command("add")
def suppress_add(
    reason: Annotated[str, typer.Option("--reason", help="Why this pattern is legitimate.")],
    expires: Annotated[
        str, typer.Option("--expires", help="Last day the suppression applies (YYYY-MM-DD).")
    ],
    scenario: Annotated[str | None, typer.Option("--scenario", help="Scenario code.")] = None,
    employee: Annotated[str | None, typer.Option("--employee", help="Employee id.")] = None,
    team: Annotated[str | None, typer.Option("--team", help="Team name.")] = None,
    department: Annotated[str | None, typer.Option("--department", help="Department.")] = None,
    subject: Annotated[str | None, typer.Option("--subject", help="BSN of the subject.")] = None,
    start: Annotated[
        str | None, typer.Option("--from", help="First day of evidence covered (YYYY-MM-DD).")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Last day of evidence covered (YYYY-MM-DD).")
    ] = None,
) -> None:
    """Suppress findings matching every given target (at least one is required)."""
    from schildwacht.app.audit.service import append
    from schildwacht.app.suppressions.service import (
        add_suppression,
        audit_details,
        period_from_dates,
    )

    expires_on = _date(expires, "--expires")
    period_start, period_end = period_from_dates(
        _date(start, "--from") if start is not None else None,
        _date(until, "--until") if until is not None else None,
    )
    with _sessions().begin() as session:
        added = add_suppression(
            session,
            reason=reason,
            expires_on=expires_on,
            created_by=_user(),
            scenario=scenario,
            employee_id=employee,
            team=team,
            department=department,
            subject_bsn=subject,
            period_start=period_start,
            period_end=period_end,
        )
        details = audit_details(added, via="cli")
        append(session, actor=f"cli:{_user()}", action="suppression_added",
               target=f"suppression:{added.id}", details=details)  # fmt: skip
    _console().print(
        f"Suppression {added.id} added ({_covers(added, ', ')}), expires on {added.expires_on}",
        highlight=False,
    )


def _user() -> str:
    """Who added the suppression, for accountability (the OS account running the command)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@suppress_app.command("list")
def suppress_list(
    show_all: Annotated[bool, typer.Option("--all", help="Include expired suppressions.")] = False,
) -> None:
    """Show suppressions (active ones unless --all)."""
    from schildwacht.app.suppressions.service import amsterdam_today, list_suppressions

    with _sessions().begin() as session:
        rows = list_suppressions(session, include_expired=show_all)
    if not rows:
        _console().print("No suppressions." if show_all else "No active suppressions.")
        return
    today = amsterdam_today()
    table = Table(title="Suppressions", show_lines=True)
    table.add_column("id", justify="right", no_wrap=True)
    for column in ("covers", "expires", "reason", "added by"):
        table.add_column(column)
    for s in rows:
        expires = f"{s.expires_on}" + ("\n(expired)" if s.expires_on < today else "")
        table.add_row(str(s.id), _covers(s), expires, s.reason, s.created_by)
    _console().print(table)


def _covers(s: Suppression, sep: str = "\n") -> str:
    """The suppression's targets, one a line, with the BSN masked and the period in days."""
    from schildwacht.app.suppressions.models import TARGET_COLUMNS

    labels = {"employee_id": "employee", "subject_bsn": "subject"}
    lines = []
    for column in TARGET_COLUMNS:
        value = getattr(s, column)
        if value:
            shown = mask_bsn(value) if column == "subject_bsn" else value
            lines.append(f"{labels.get(column, column)} {shown}")
    if s.period_start or s.period_end:
        first = str(s.period_start.astimezone(AMSTERDAM).date()) if s.period_start else "..."
        lines.append(f"evidence {first} - {_period_end(s.period_end)}")
    return sep.join(lines)


def _period_end(end: datetime | None) -> str:
    """The last covered day: the period is half-open, so the day of its last instant."""
    if end is None:
        return "..."
    return str((end.astimezone(AMSTERDAM) - timedelta(microseconds=1)).date())


@suppress_app.command("remove")
def suppress_remove(
    suppression_id: Annotated[int, typer.Argument(help="Id shown by 'suppress list'.")],
) -> None:
    """Delete a suppression."""
    from schildwacht.app.audit.service import append
    from schildwacht.app.suppressions.service import audit_details, remove_suppression

    with _sessions().begin() as session:
        removed = remove_suppression(session, suppression_id=suppression_id)
        details = audit_details(removed, via="cli")
        append(session, actor=f"cli:{_user()}", action="suppression_removed",
               target=f"suppression:{removed.id}", details=details)  # fmt: skip
    _console().print(
        f"Suppression {removed.id} removed ({_covers(removed, ', ')})", highlight=False
    )

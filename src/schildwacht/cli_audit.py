"""``schildwacht audit verify`` and ``audit list``: check and read the tool's own audit trail."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

audit_app = typer.Typer(help="Check and read the tool's own audit trail.", no_args_is_help=True)


def _sessions() -> sessionmaker[Session]:
    from schildwacht.cli_alerts import _sessions as sessions

    return sessions()


@audit_app.command("verify")
def audit_verify() -> None:
    """Recompute the hash chain; exit code 1 when an entry was changed, removed or inserted."""
    from schildwacht.app.audit.service import verify

    with _sessions()() as session:
        result = verify(session)
    if result.ok:
        Console().print(f"Audit trail intact: {result.checked:,} entries verified.")
        return
    Console(stderr=True).print(
        f"AUDIT TRAIL BROKEN after {result.checked:,} good entries: {result.problem}",
        highlight=False,
    )
    raise typer.Exit(1)


@audit_app.command("list")
def audit_list(
    limit: Annotated[int, typer.Option(min=1, help="Show at most this many, newest first.")] = 50,
    action: Annotated[str | None, typer.Option(help="Only entries of this action.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON Lines.")] = False,
) -> None:
    """The newest audit entries: who did what, to what, when."""
    from schildwacht.app.audit.service import recent

    with _sessions()() as session:
        entries = recent(session, limit=limit, action=action)
    if as_json:
        for e in entries:
            sys.stdout.write(
                json.dumps(
                    {
                        "seq": e.seq,
                        "at": e.at.isoformat(),
                        "actor": e.actor,
                        "action": e.action,
                        "target": e.target,
                        "details": e.details,
                    }
                )
                + "\n"
            )
        return
    table = Table(title=f"Audit trail ({len(entries)} newest)")
    for col in ("#", "when (UTC)", "who", "action", "target", "details"):
        table.add_column(col)
    for e in entries:
        table.add_row(
            str(e.seq),
            e.at.isoformat(timespec="seconds"),
            e.actor,
            e.action,
            e.target or "",
            json.dumps(e.details, ensure_ascii=False),
        )
    Console().print(table)

"""``schildwacht inzage BSN --from --to``: the Art. 15 consultation report for one person.

Answers a resident's access request (CJEU C-579/21): every consultation of their data in a
period, with when, which system, what and why, and no employee identity. JSON goes to
standard output (or ``--output``); the PDF for the person needs ``--output``. Each use reads
a citizen's data and is itself recorded in the audit trail, with the OS user as actor.

The owner registers it in ``cli.py`` with ``app.command("inzage")(inzage)``.
"""

from __future__ import annotations

import getpass
import json
import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from schildwacht.errors import UserError


class ReportFormat(StrEnum):
    json = "json"
    pdf = "pdf"


def _day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UserError(f"{option} {value!r} is not a date (YYYY-MM-DD)") from None


def _cli_actor() -> str:
    """``cli:<os user>``: who ran the command, as the other CLI commands record it."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def inzage(
    bsn: Annotated[str, typer.Argument(help="BSN of the person who asked (9 digits).")],
    start: Annotated[
        str, typer.Option("--from", help="First day of the period, YYYY-MM-DD (Dutch time).")
    ],
    end: Annotated[
        str, typer.Option("--to", help="Last day of the period, YYYY-MM-DD (included).")
    ],
    fmt: Annotated[
        ReportFormat, typer.Option("--format", help="json (default) or pdf for the person.")
    ] = ReportFormat.json,
    output: Annotated[
        Path | None, typer.Option("--output", help="File to write; required for pdf.")
    ] = None,
) -> None:
    """Art. 15 report: every consultation of a person's data in a period, without staff names."""
    from schildwacht.app.accountability.inzage import as_json, consultations
    from schildwacht.cli_state import State

    if fmt is ReportFormat.pdf and output is None:
        raise UserError("--format pdf needs --output FILE (a PDF does not go to the terminal)")
    first, last = _day(start, "--from"), _day(end, "--to")
    report = consultations(State.store, bsn, start=first, end=last)
    if fmt is ReportFormat.pdf:
        from schildwacht.app.accountability.pdf import render_pdf

        content = render_pdf(report)
    else:
        content = (json.dumps(as_json(report), ensure_ascii=False, indent=2) + "\n").encode()
    _record(bsn, first, last, fmt, len(report.consultations))
    _write(content, output, fmt)


def _record(bsn: str, first: date, last: date, fmt: ReportFormat, found: int) -> None:
    """One audit entry per use, after the report was made and before it is handed out."""
    from schildwacht.app.audit.service import append
    from schildwacht.cli_alerts import _sessions

    details = {"from": first.isoformat(), "to": last.isoformat(), "format": fmt.value,
               "consultations": found, "via": "cli"}  # fmt: skip
    with _sessions().begin() as db:
        append(db, actor=_cli_actor(), action="inzage_report", target=bsn, details=details)


def _write(content: bytes, output: Path | None, fmt: ReportFormat) -> None:
    if output is None:
        sys.stdout.write(content.decode())
        return
    try:
        output.write_bytes(content)
    except OSError as exc:
        raise UserError(f"cannot write {output}: {exc.strerror}") from None
    Console(stderr=True).print(f"Inzage report ({fmt.value}) written to {output}")

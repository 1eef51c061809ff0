"""``schildwacht breach``: personal data breaches: the ENISA calculator and the register.

``breach severity`` scores one breach from its components, so a privacy officer can check an
assessment or try what an adjustment changes. Every circumstance element is a required
option: the assessor must consider each one, not inherit a silent default.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from schildwacht.app.breaches.severity import (
    Availability,
    Confidentiality,
    Context,
    Identification,
    Integrity,
    SeverityAssessment,
    assess,
    dutch,
    english,
)
from schildwacht.errors import UserError

breach_app = typer.Typer(
    help="Personal data breaches: severity (ENISA), the breach list and register.",
    no_args_is_help=True,
)


@breach_app.callback()
def breach() -> None:
    """Personal data breaches: severity (ENISA), the breach list and register."""
    # A callback keeps 'severity' a subcommand: a Typer app with a single command and no
    # callback would run that command directly, and 'breach severity' would break.


@breach_app.command("severity")
def severity(
    context: Annotated[
        Context, typer.Option(help="Data processing context (DPC): which kind of data.")
    ],
    identification: Annotated[Identification, typer.Option(help="Ease of identification (EI).")],
    confidentiality: Annotated[
        Confidentiality,
        typer.Option(help="Loss of confidentiality: known recipients (+0.25) or unknown (+0.5)."),
    ],
    integrity: Annotated[
        Integrity, typer.Option(help="Loss of integrity: altered, recoverable or not.")
    ],
    availability: Annotated[
        Availability, typer.Option(help="Loss of availability: temporary or permanent.")
    ],
    context_score: Annotated[
        int | None,
        typer.Option(help="Adjusted DPC 1-4 instead of the basic score; needs --reason."),
    ] = None,
    reason: Annotated[
        str | None, typer.Option(help="Written reason for an adjusted DPC (ENISA requires it).")
    ] = None,
    malicious: Annotated[
        bool, typer.Option("--malicious", help="Intent to harm, or for profit (+0.5).")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """ENISA severity: SE = DPC x EI + CB; low < 2, medium < 3, high < 4, very high >= 4."""
    try:
        result = assess(
            context=context, context_score=context_score, reason=reason,
            identification=identification, confidentiality=confidentiality,
            integrity=integrity, availability=availability, malicious=malicious,
        )  # fmt: skip
    except UserError as exc:
        # The same line and exit code as schildwacht.cli.main, so the sub-app behaves alike
        # on its own (tests, embedding) and once registered under 'schildwacht breach'.
        Console(stderr=True).print(f"error: {exc}", highlight=False, markup=False, soft_wrap=True)
        raise typer.Exit(2) from None
    if as_json:
        typer.echo(json.dumps(result.as_dict(), ensure_ascii=False))
    else:
        Console().print(severity_table(result))


def _num(value: float) -> str:
    return f"{value:g}"


def _both(member: Context | Identification | Confidentiality | Integrity | Availability) -> str:
    return f"{dutch(member)} / {english(member)}"


def severity_table(result: SeverityAssessment) -> Table:
    """Every component in Dutch and English, so the score can be retraced by anyone."""
    table = Table("onderdeel / component", "waarde / value", "punten / points",
                  title="ENISA-ernst / ENISA severity")  # fmt: skip
    table.add_row("DPC basis / basic", _both(result.context), _num(result.dpc_basic))
    table.add_row("DPC gebruikt / used", result.dpc_reason or "", _num(result.dpc))
    table.add_row("EI identificeerbaarheid / identification", _both(result.identification),
                  _num(result.ei))  # fmt: skip
    table.add_row("CB vertrouwelijkheid / confidentiality", _both(result.confidentiality),
                  f"+{_num(result.cb_confidentiality)}")  # fmt: skip
    table.add_row("CB integriteit / integrity", _both(result.integrity),
                  f"+{_num(result.cb_integrity)}")  # fmt: skip
    table.add_row("CB beschikbaarheid / availability", _both(result.availability),
                  f"+{_num(result.cb_availability)}")  # fmt: skip
    table.add_row("CB kwade opzet / malicious intent", "ja / yes" if result.malicious else
                  "nee / no", f"+{_num(result.cb_malicious)}")  # fmt: skip
    table.add_row("CB totaal / total", "", _num(result.cb))
    level = f"{dutch(result.band)} / {english(result.band)}"
    table.add_row("SE = DPC x EI + CB", level, _num(result.score), style="bold")
    return table


def _register_reader() -> Any:
    """A reader of the register for the CLI: whoever can read the store's database at the
    shell can read the register, so the CLI acts as a privacy officer named after the OS
    account, and every export is recorded in the audit trail under that name."""
    from schildwacht.app.auth.models import User
    from schildwacht.cli_web import _cli_actor

    return User(user_id=0, username=_cli_actor(), display_name="CLI", roles=("privacy_officer",))


@breach_app.command("list")
def breach_list() -> None:
    """Every breach dossier: awareness, deadline, status, severity and what is outstanding."""
    from schildwacht.app.breaches.deadline import notification_deadline
    from schildwacht.app.breaches.models import outstanding
    from schildwacht.app.breaches.service import list_breaches
    from schildwacht.cli_alerts import _sessions

    with _sessions().begin() as db:
        breaches = list_breaches(db, user=_register_reader())
    if not breaches:
        Console().print("No breaches registered.")
        return
    table = Table("id", "title", "aware at", "deadline (AP)", "status", "band", "outstanding")
    for b in breaches:
        table.add_row(
            str(b.breach_id), b.title, f"{b.aware_at:%Y-%m-%d %H:%M}",
            f"{notification_deadline(b.aware_at):%Y-%m-%d %H:%M}", b.status, b.band or "-",
            "; ".join(outstanding(b)) or "-",
        )  # fmt: skip
    Console().print(table)


@breach_app.command("show")
def breach_show(
    breach_id: Annotated[int, typer.Argument(help="The breach's number.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """One breach dossier: clock, people affected, severity, decisions, notifications,
    measures and timeline. The employee appears as a pseudonym; the view is audited."""
    from schildwacht.app.audit.service import append
    from schildwacht.app.base import utc_now
    from schildwacht.app.breaches.deadline import clock_status
    from schildwacht.app.breaches.models import outstanding
    from schildwacht.app.breaches.service import get_breach
    from schildwacht.app.people.pseudonyms import Pseudonymiser, key_path, load_or_create_key
    from schildwacht.cli_alerts import _sessions
    from schildwacht.cli_state import State
    from schildwacht.errors import NotFound

    reader = _register_reader()
    pseudonym = Pseudonymiser(load_or_create_key(key_path(State.store.root)))
    try:
        with _sessions().begin() as db:
            b = get_breach(db, breach_id=breach_id, user=reader)
            append(db, actor=reader.username, action="view_breach", target=f"breach:{breach_id}",
                   details={"via": "cli"})  # fmt: skip
    except NotFound as exc:
        Console(stderr=True).print(f"error: {exc}", highlight=False, markup=False)
        raise typer.Exit(2) from None
    clock = clock_status(b.aware_at, b.notified_at or utc_now())
    shown = breach_summary(b, pseudonym(b.employee_id) if b.employee_id else None)
    shown["deadline"] = clock.deadline.isoformat()
    shown["clock"] = clock.level.value
    shown["outstanding"] = outstanding(b)
    if as_json:
        typer.echo(json.dumps(shown, ensure_ascii=False, default=str))
        return
    console = Console()
    console.print(f"[bold]Breach #{b.breach_id}: {b.title}[/bold]", highlight=False)
    for key in ("status", "origin", "employee", "aware_at", "deadline", "clock", "notified_at",
                "delay_reason", "severity", "outstanding"):  # fmt: skip
        console.print(f"{key:>13}: {shown[key]}", highlight=False, markup=False)
    console.print(f"{'affected':>13}: {json.dumps(shown['affected'], ensure_ascii=False)}",
                  highlight=False, markup=False)  # fmt: skip
    for title in ("decisions", "notices", "measures", "timeline"):
        console.print(f"[bold]{title}[/bold]")
        for row in shown[title]:
            console.print("  " + " | ".join(str(v) for v in row.values() if v not in (None, "")),
                          highlight=False, markup=False)  # fmt: skip


def breach_summary(b: Any, employee: str | None) -> dict[str, Any]:
    """A breach dossier as plain JSON values, with the employee as a pseudonym only."""
    severity = b.severity or {}
    return {
        "breach_id": b.breach_id, "title": b.title, "status": b.status, "origin": b.origin,
        "employee": employee, "aware_at": b.aware_at.isoformat(),
        "notified_at": b.notified_at.isoformat() if b.notified_at else None,
        "delay_reason": b.delay_reason,
        "severity": f"{severity['score']} ({severity['band']})" if severity else None,
        "severity_reason": b.severity_reason, "affected": b.affected,
        "decisions": [{"kind": d.kind, "value": d.value, "state": d.state, "reason": d.reason,
                       "exception": d.exception, "review_on": d.review_on,
                       "decided_by": d.decided_by, "confirmed_by": d.confirmed_by}
                      for d in b.decisions],
        "notices": [{"phase": n.phase, "sent_at": n.sent_at.isoformat(), "late": n.late,
                     "ap_reference": n.ap_reference, "note": n.note} for n in b.notices],
        "measures": [{"kind": m.kind, "taken_on": m.taken_on.isoformat(), "text": m.text}
                     for m in b.measures],
        "timeline": [{"at": e.at.isoformat(), "author": e.author, "kind": e.kind,
                      "text": e.text} for e in b.events],
        "closed_at": b.closed_at.isoformat() if b.closed_at else None,
        "closing_note": b.closing_note,
    }  # fmt: skip


@breach_app.command("export")
def breach_export(
    output: Annotated[Path, typer.Option("--output", help="File to write.")],
    fmt: Annotated[
        str, typer.Option("--format", help="csv (UTF-8 with BOM) or pdf (landscape table).")
    ] = "csv",
) -> None:
    """The breach register (Art. 33(5) GDPR): every breach, notified or not."""
    from schildwacht.app.audit.service import append
    from schildwacht.app.breaches.documents import register_pdf
    from schildwacht.app.breaches.register import write_register_csv
    from schildwacht.app.breaches.service import list_breaches
    from schildwacht.app.people.pseudonyms import Pseudonymiser, key_path, load_or_create_key
    from schildwacht.cli_alerts import _sessions
    from schildwacht.cli_state import State

    if fmt not in ("csv", "pdf"):
        Console(stderr=True).print(f"error: --format: {fmt!r} is not csv or pdf", markup=False)
        raise typer.Exit(2)
    reader = _register_reader()
    pseudonym = Pseudonymiser(load_or_create_key(key_path(State.store.root)))
    with _sessions().begin() as db:
        breaches = list_breaches(db, user=reader)
        if fmt == "pdf":
            output.write_bytes(register_pdf(breaches, pseudonym))
            count = len(breaches)
        else:
            count = write_register_csv(breaches, output, pseudonym)
        append(db, actor=reader.username, action="breach_register_exported",
               details={"breaches": count, "format": fmt})  # fmt: skip
    Console().print(f"{count} breach(es) written to {output}", highlight=False)

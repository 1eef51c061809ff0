"""The ``schildwacht`` command line: one small function per command, calling services.

Every command exits 0 on success. A problem the user can fix (a missing file, a bad value)
ends with exit code 2 and one line saying what and where; no traceback.
"""

from __future__ import annotations

import errno
import json
import os
import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table as RichTable

from schildwacht.cli_state import State
from schildwacht.config import DATABASE_URL_ENV
from schildwacht.errors import UserError
from schildwacht.store.store import Store, StoreLockedError

app = typer.Typer(
    name="schildwacht",
    help="Schildwacht: detect, handle and account for misuse of personal data by staff.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
quarantine_app = typer.Typer(help="Show records that broke the contract.", no_args_is_help=True)
app.add_typer(quarantine_app, name="quarantine")

console = Console()
err_console = Console(stderr=True)


@app.callback()
def main_options(
    store: Annotated[
        Path,
        typer.Option(
            "--store",
            envvar="SCHILDWACHT_STORE",
            help="Folder of the Schildwacht store (also SCHILDWACHT_STORE).",
        ),
    ] = Path("schildwacht-data"),
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            help="Application database (alerts, dossiers, breaches, users, audit trail), e.g. "
            "postgresql+psycopg://user@host/schildwacht; default: the SQLite file in the "
            f"store, or [database] url in its settings. Also {DATABASE_URL_ENV}.",
        ),
    ] = None,
) -> None:
    """Schildwacht: detect, handle and account for misuse of personal data by staff."""
    State.store = Store(store)
    if database_url:
        # Every command resolves the database through config.load_settings, which reads
        # this variable first; setting it here reaches them all, and the processes they
        # start (the web server's workers), without threading a parameter through each.
        os.environ[DATABASE_URL_ENV] = database_url


class DataFormat(StrEnum):
    csv = "csv"
    jsonl = "jsonl"
    parquet = "parquet"


@app.command()
def simulate(
    out: Annotated[Path, typer.Option("--out", help="Folder to write the data set to.")],
    seed: Annotated[int, typer.Option(help="Random seed; same seed, same data.")] = 42,
    employees: Annotated[int, typer.Option(min=40, help="Number of employees.")] = 1500,
    citizens: Annotated[
        int, typer.Option(min=1000, help="Number of residents (at least 20 per employee).")
    ] = 120_000,
    days: Annotated[int, typer.Option(min=7, help="Number of days of activity.")] = 60,
    start: Annotated[str, typer.Option(help="First day, YYYY-MM-DD.")] = "2026-01-05",
    fmt: Annotated[DataFormat, typer.Option("--format", help="File format.")] = DataFormat.csv,
) -> None:
    """Write a synthetic municipality (every contract table plus labels.jsonl)."""
    from schildwacht.simulate import simulate as run_simulation

    try:
        first_day = date.fromisoformat(start)
    except ValueError:
        raise UserError(f"--start {start!r} is not a date (YYYY-MM-DD)") from None
    summary = run_simulation(
        out,
        seed=seed,
        employees=employees,
        citizens=citizens,
        days=days,
        start=first_day,
        fmt=fmt.value,
    )
    console.print(f"Synthetic municipality written to {out}")
    console.print(summary.describe() if hasattr(summary, "describe") else str(summary))


def print_simulation(out: Console, summary: Any) -> None:
    """Rows per table and labelled incidents per scenario of a simulation."""
    out.print(f"Synthetic municipality written to {summary.out} in {summary.seconds:.1f} s")
    rows = RichTable(title="Rows per table")
    rows.add_column("table")
    rows.add_column("rows", justify="right")
    for name, count in summary.rows.items():
        rows.add_row(name, f"{count:,}")
    out.print(rows)
    incidents = ", ".join(f"{k} {v}" for k, v in summary.incidents.items())
    out.print(f"Labelled misuse incidents ({sum(summary.incidents.values())}): {incidents}")


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Data-set folders or files.")],
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="Name the input format instead of recognising it: canonical, "
            "vng-verwerkingenlogging, logboek-dataverwerkingen, zgw-zaken, brp-personen.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Load data sets into the store: validate, quarantine, de-duplicate, atomically."""
    from schildwacht.ingest.pipeline import ingest as run_ingest
    from schildwacht.ingest.report import print_summary

    show = err_console if sys.stderr.isatty() and not as_json else None
    with err_console.status("ingesting...") if show else _nullcontext():
        result = run_ingest(State.store, paths, fmt=fmt)
    if as_json:
        sys.stdout.write(json.dumps(result.as_dict()) + "\n")
    else:
        print_summary(console, result)


class _nullcontext:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *args: object) -> None:
        return None


@app.command()
def status() -> None:
    """Counts per table, the event date range, quarantine and the last ingest runs."""
    from schildwacht.store.status import store_status

    report = store_status(State.store)
    table = RichTable(title=f"Store {State.store.root}")
    table.add_column("table")
    table.add_column("rows", justify="right")
    table.add_column("files", justify="right")
    for name, (rows, files) in report.tables.items():
        table.add_row(name, f"{rows:,}", str(files))
    console.print(table)
    if report.first_event:
        console.print(f"Events from {report.first_event} to {report.last_event}")
    console.print(f"Quarantined records: {report.quarantined:,}")
    runs = RichTable(title="Last ingest runs")
    for col in ("run", "started", "status", "inputs", "events accepted"):
        runs.add_column(col)
    for run in report.runs:
        accepted = run.get("counts", {}).get("events", {}).get("accepted", 0)
        runs.add_row(
            run["run_id"],
            run["started_at"],
            run["status"],
            str(len(run.get("inputs", []))),
            f"{accepted:,}",
        )
    console.print(runs)


@quarantine_app.command("list")
def quarantine_list(
    table: Annotated[str | None, typer.Option(help="Only records of this table.")] = None,
    limit: Annotated[int, typer.Option(help="Show at most this many.")] = 50,
) -> None:
    """List quarantined records with file, line and reason."""
    from schildwacht.ingest.quarantine import read_quarantine

    store = State.store
    rows = read_quarantine(store.connect(), store.quarantine_files(), table)
    console.print(f"{len(rows):,} quarantined records", highlight=False)
    for row in rows[:limit]:
        console.print(
            f"\n[bold]{row['table']}[/bold]  {row['source_file']}, {row['locator']}\n"
            f"  {row['reason']}",
            highlight=False,
            soft_wrap=True,
        )
    if len(rows) > limit:
        console.print(f"\n... {len(rows) - limit:,} more; 'quarantine export' writes them all")


@quarantine_app.command("export")
def quarantine_export(
    output: Annotated[Path, typer.Option("--output", help="File to write (.csv or .jsonl).")],
    table: Annotated[str | None, typer.Option(help="Only records of this table.")] = None,
) -> None:
    """Export every quarantined record, whole, with its reason (CSV or JSONL)."""
    from schildwacht.ingest.quarantine import export_quarantine, read_quarantine

    store = State.store
    rows = read_quarantine(store.connect(), store.quarantine_files(), table)
    export_quarantine(rows, output)
    console.print(f"{len(rows):,} quarantined records written to {output}")


def _register() -> None:
    """Commands that live in their own modules, so this file stays the entry point."""
    from schildwacht.cli_alerts import alerts_app, suppress_app
    from schildwacht.cli_audit import audit_app
    from schildwacht.cli_breach import breach_app
    from schildwacht.cli_detect import detect, evaluate, explain_stats, lookups
    from schildwacht.cli_inzage import inzage
    from schildwacht.cli_web import serve, users_app

    app.command("detect")(detect)
    app.command("explain-stats")(explain_stats)
    app.command("evaluate")(evaluate)
    app.command("lookups")(lookups)
    app.add_typer(alerts_app, name="alerts")
    app.add_typer(suppress_app, name="suppress")
    app.add_typer(audit_app, name="audit")
    app.command("serve")(serve)
    app.add_typer(users_app, name="users")
    app.add_typer(breach_app, name="breach")
    app.command("inzage")(inzage)


_register()


def out_of_resources(exc: BaseException) -> str | None:
    """What to do when a run ran out of disk or memory; None for any other error.

    A large detection or ingest that fills the disk while spilling should end in advice,
    not in a traceback through DuckDB's internals.
    """
    import duckdb

    if getattr(exc, "errno", None) == errno.ENOSPC or "No space left on device" in str(exc):
        return (
            "the disk is full. Schildwacht spills to the store's tmp folder while it works: "
            "free space there, or put the store on a larger disk (docs/scaling.md)."
        )
    if isinstance(exc, duckdb.OutOfMemoryException):
        return (
            "DuckDB ran out of memory. Raise SCHILDWACHT_MEMORY_LIMIT, or make sure the "
            "store's tmp folder is writable so that DuckDB can spill (docs/scaling.md)."
        )
    return None


def main() -> None:
    """Entry point: user errors become one line and exit code 2, a full disk exit code 1."""
    try:
        app()
    except (UserError, StoreLockedError) as exc:
        err_console.print(f"error: {exc}", highlight=False, markup=False, soft_wrap=True)
        sys.exit(2)
    except Exception as exc:
        advice = out_of_resources(exc)
        if advice is None:
            raise
        err_console.print(f"error: {advice}", highlight=False, markup=False, soft_wrap=True)
        sys.exit(1)


if __name__ == "__main__":
    main()

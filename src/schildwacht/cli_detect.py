"""Commands around detection: ``detect``, ``explain-stats``, ``evaluate``, ``lookups``.

Each is a thin wrapper: parse options, call the service in ``schildwacht.detect``, print.
They are registered on the main app in ``cli.py``.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

import typer
from rich.console import Console
from rich.table import Table

from schildwacht.errors import UserError

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


class DetectEngine(StrEnum):
    duckdb = "duckdb"
    spark = "spark"


def _store() -> Any:
    from schildwacht.cli_state import State

    return State.store


def detect(
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    engine: Annotated[
        DetectEngine,
        typer.Option(
            "--engine",
            help="Compute on DuckDB in this process (default) or on Apache Spark "
            "(the 'spark' extra; see docs/scaling.md).",
        ),
    ] = DetectEngine.duckdb,
    spark_remote: Annotated[
        str | None,
        typer.Option(
            "--spark-remote",
            metavar="URL",
            help="Spark Connect server (sc://HOST:15002) for --engine spark; "
            "without it Spark runs locally.",
        ),
    ] = None,
) -> None:
    """Explain every access, run every scenario, score, and store the alerts."""
    from schildwacht.detect.runner import run_detection

    if spark_remote is not None and engine is not DetectEngine.spark:
        raise UserError("--spark-remote needs --engine spark")
    chosen: Literal["duckdb", "spark"] = "spark" if engine is DetectEngine.spark else "duckdb"
    summary = run_detection(_store(), engine=chosen, spark_remote=spark_remote)
    out = summary.output
    data = {
        "run_id": summary.run_id,
        "alerts": len(out.alerts),
        **summary.counts.as_dict(),
        "findings": len(out.findings),
        "engine": chosen,
        "suppressed_findings": out.suppressed,
        "seconds": {k: round(v, 2) for k, v in out.seconds.items()},
    }
    if as_json:
        sys.stdout.write(json.dumps(data) + "\n")
        return
    console = Console()
    console.print(
        f"Detection run {summary.run_id}: {len(out.alerts):,} alerts "
        f"({summary.counts.new:,} new, {summary.counts.updated:,} updated, "
        f"{summary.counts.unchanged:,} unchanged); {out.suppressed:,} findings "
        f"suppressed; {sum(out.seconds.values()):.1f} s"
    )
    console.print("See 'schildwacht alerts list --top 20'.")


def explain_stats(
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Share of accesses explained per department and source system, and what is left."""
    from schildwacht.config import load_settings
    from schildwacht.detect.runner import detection_params
    from schildwacht.detect.stats import explain_stats as compute_stats

    store = _store()
    stats = compute_stats(store, detection_params(load_settings(store.root)))
    if as_json:
        sys.stdout.write(json.dumps(stats.as_dict(), default=str) + "\n")
        return
    console = Console()
    console.print(f"{stats.total:,} accesses to citizens; {stats.explained_share:.1%} explained")
    for title, rows, key in (
        ("Per department", stats.by_department, "department"),
        ("Per source system", stats.by_source_system, "source_system"),
    ):
        table = Table(title=title)
        for col in (key, "accesses", "explained"):
            table.add_column(col, justify="left" if col == key else "right")
        for row in rows:
            table.add_row(str(row[key]), f"{row['accesses']:,}", f"{row['explained_share']:.1%}")
        console.print(table)
    kinds = Table(title="Explained by")
    kinds.add_column("explanation")
    kinds.add_column("accesses", justify="right")
    for row in stats.by_explanation:
        kinds.add_row(str(row["explanation"]), f"{row['accesses']:,}")
    console.print(kinds)
    rest = Table(title="Unexplained remainder: teams")
    for col in ("department", "team", "unexplained", "employees", "service accounts"):
        rest.add_column(col)
    for row in stats.unexplained_by_team:
        rest.add_row(
            str(row["department"]),
            str(row["team"]),
            f"{row['unexplained']:,}",
            str(row["employees"]),
            str(row["service_accounts"]),
        )
    console.print(rest)
    actions = ", ".join(f"{r['action']} {r['unexplained']:,}" for r in stats.unexplained_by_action)
    console.print(f"Unexplained by action: {actions}")
    console.print(f"Unexplained outside office hours: {stats.unexplained_off_hours_share:.1%}")


def evaluate(
    data: Annotated[Path, typer.Option("--data", help="Data set folder with labels.jsonl.")],
    k: Annotated[int | None, typer.Option("--k", help="Evaluate at this K only.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Recall and precision at K of the stored alerts against labels.jsonl."""
    from schildwacht.app.alerts.service import list_alerts
    from schildwacht.cli_alerts import _sessions
    from schildwacht.detect.evaluate import evaluate as run_evaluation
    from schildwacht.detect.evaluate import read_labels, scored

    incidents = read_labels(data)
    with _sessions()() as session:
        alerts = scored(list_alerts(session))
    results = run_evaluation(alerts, incidents, k)
    if as_json:
        sys.stdout.write(json.dumps([q.as_dict() for q in results]) + "\n")
        return
    console = Console()
    for quality in results:
        table = Table(
            title=f"K = {quality.k}: recall {quality.recall:.2f}, "
            f"precision {quality.precision:.2f} ({len(incidents)} incidents)"
        )
        for col in ("scenario", "incidents", "recall", "precision"):
            table.add_column(col, justify="left" if col == "scenario" else "right")
        for scenario, (recall, precision, n) in sorted(quality.per_scenario.items()):
            table.add_row(
                scenario, str(n), f"{recall:.2f}", "-" if precision is None else f"{precision:.2f}"
            )
        console.print(table)


def lookups(
    subject: Annotated[str, typer.Option("--subject", help="BSN of the victim.")],
    before: Annotated[
        str | None,
        typer.Option(
            "--before", help="Incident time (ISO 8601; no offset = Dutch time). Default: now."
        ),
    ] = None,
    days: Annotated[int, typer.Option(min=1, help="Days to look back.")] = 30,
) -> None:
    """Reverse look-up: who opened this person's (and household's) records before a date."""
    from schildwacht.contract import bsn_is_valid
    from schildwacht.detect.explanation import EXPLANATION_TEXT_NL
    from schildwacht.detect.lookups import parse_moment, reverse_lookup

    if not bsn_is_valid(subject):
        raise UserError(f"--subject {subject!r} is not a valid BSN (9 digits, elfproef)")
    try:
        moment = parse_moment(before)
    except ValueError:
        raise UserError(f"--before {before!r} is not an ISO 8601 date or time") from None
    result = reverse_lookup(_store(), subject, moment, days)
    console = Console()
    console.print(
        f"Accesses to {len(result.people)} people (victim, household, relatives) "
        f"in the {days} days before {moment.isoformat(timespec='minutes')}: "
        f"{len(result.by_employee)} employees"
    )
    for employee, rows in sorted(
        result.by_employee.items(),
        key=lambda kv: sum(not r["explained"] for r in kv[1]),
        reverse=True,
    ):
        unexplained = sum(not r["explained"] for r in rows)
        table = Table(
            title=f"{employee} ({rows[0]['department']}, {rows[0]['team']}): "
            f"{len(rows)} accesses, {unexplained} unexplained"
        )
        for col in ("when", "system", "action", "who", "explained by"):
            table.add_column(col)
        for row in rows:
            why = EXPLANATION_TEXT_NL.get(row["explanation"] or "", "ONVERKLAARD")
            if row["service_account"]:
                why = "systeemaccount (batch)"
            table.add_row(
                row["occurred_at"].astimezone(AMSTERDAM).isoformat(timespec="minutes"),
                str(row["source_system"]),
                str(row["action"]),
                str(row["why_included"]),
                why,
            )
        console.print(table)

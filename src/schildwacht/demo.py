"""``make demo``: the product tour on a small simulated municipality.

Simulate a town, ingest it, show what is in the store, detect, take one confirmed case
through to the AP notification draft, and finally serve the web app with demo accounts. Each
later capability adds its step here, so the demo stays the quickest way to see the whole
product work. ``DEMO_PORT`` sets the port (default 8000);
``DEMO_SERVE=0`` stops after printing the accounts instead of serving.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from rich.console import Console

from schildwacht.app.auth.models import User
from schildwacht.cli import print_simulation
from schildwacht.ingest.pipeline import ingest
from schildwacht.ingest.report import print_summary
from schildwacht.simulate import simulate
from schildwacht.store.store import Store
from schildwacht.web.context import WebContext

SMALL_TOWN_SEED = 7


def main() -> None:
    console = Console()
    root = Path(os.environ.get("DEMO_DIR", "demo-data"))
    town, store_dir = root / "town", root / "store"
    shutil.rmtree(root, ignore_errors=True)
    console.rule("1. Simulate a small municipality")
    print_simulation(
        console, simulate(town, seed=SMALL_TOWN_SEED, employees=300, citizens=20_000, days=30)
    )
    console.rule("2. Ingest it")
    store = Store(store_dir)
    print_summary(console, ingest(store, [town]))
    console.rule("3. Ingest it again: nothing is stored twice")
    print_summary(console, ingest(store, [town]))
    console.rule("4. A delivery with mistakes: quarantined, not lost")
    bad = _broken_delivery(root / "correction")
    print_summary(console, ingest(store, [bad]))
    from schildwacht.ingest.quarantine import read_quarantine

    for row in read_quarantine(store.connect(), store.quarantine_files()):
        console.print(
            f"  {Path(str(row['source_file'])).name}, {row['locator']}: {row['reason']}",
            highlight=False,
        )
    console.rule("5. What the store holds")
    from schildwacht.cli import status
    from schildwacht.cli_state import State

    State.store = store
    status()
    console.rule("6. Detect: explain every access, then flag and rank")
    _detect_and_show(console, store, town)
    console.print(f"\nData set: {town}\nStore:    {store_dir}")
    console.print(f"Try: .venv/bin/schildwacht --store {store_dir} alerts list --top 20")
    ctx = WebContext.open(store.root)
    console.rule("7. The web app's accounts")
    users = _accounts(console, ctx)
    console.rule("8. One confirmed case taken through to the AP notification draft")
    _confirmed_case(console, ctx, users, root)
    console.rule("9. The web app: triage with pseudonymised staff, breaches, reports")
    _serve(console, store, ctx)


DEMO_ACCOUNTS = (
    ("privacy", "Demo privacy officer", "privacy_officer"),
    ("privacy2", "Tweede privacy officer (vier ogen)", "privacy_officer"),
    ("fg", "Demo functionaris gegevensbescherming", "fg"),
    ("analist", "Demo analist", "analist"),
    ("auditor", "Demo auditor", "auditor"),
)


def _accounts(console: Console, ctx: WebContext) -> dict[str, User]:
    """Create the demo accounts and print their one-time passwords."""
    from schildwacht.app.audit.service import append
    from schildwacht.app.auth.service import add_user

    users = {}
    with ctx.tx() as db:
        for username, name, role in DEMO_ACCOUNTS:
            user, password = add_user(db, username=username, roles=[role], display_name=name)
            users[username] = user
            append(db, actor="demo", action="user_added", target=f"user:{username}",
                   details={"roles": [role]})  # fmt: skip
            console.print(f"  {role:16} {username:9} one-time password: {password}",
                          highlight=False)  # fmt: skip
    return users


def _confirmed_case(console: Console, ctx: WebContext, users: dict[str, User], root: Path) -> None:
    """The top alert confirmed as misuse by two officers, its dossier, the breach opened two
    hours ago, assessed with the defaults from the evidence, and the AP draft written out."""
    from datetime import timedelta

    from schildwacht.app.alerts.service import list_alerts
    from schildwacht.app.base import utc_now
    from schildwacht.app.breaches import service
    from schildwacht.app.breaches.affected import severity_defaults
    from schildwacht.app.breaches.deadline import clock_status
    from schildwacht.app.breaches.documents import ap_draft_pdf
    from schildwacht.app.breaches.notification import alert_facts, build_draft
    from schildwacht.app.dossiers.service import create_dossier
    from schildwacht.app.triage.service import confirm_decision, propose_close

    po1, po2 = users["privacy"], users["privacy2"]
    with ctx.tx() as db:
        alert = next(a for a in list_alerts(db) if a.subject_bsns)
        decision = propose_close(db, alert_id=alert.alert_id, user=po1,
                                 resolution="misbruik_bevestigd", rules=ctx.settings.triage,
                                 note="Demo: medewerker had geen werkreden.")  # fmt: skip
        if decision.state == "pending":
            confirm_decision(db, decision_id=decision.decision_id, user=po2)
        dossier = create_dossier(db, user=po1, title=f"Demo: {alert.alert_id}",
                                 alert_ids=[alert.alert_id])  # fmt: skip
        breach = service.open_from_dossier(
            db, dossier_id=dossier.dossier_id, user=po1, store=ctx.store,
            aware_at=utc_now() - timedelta(hours=2),
            note="Demo: het misbruik is door twee privacy officers bevestigd.",
        )  # fmt: skip
        defaults = severity_defaults(breach.affected)
        breach = service.record_severity(
            db, breach_id=breach.breach_id, user=po1, assessment=defaults.assessment,
            reason="Demo: de standaardwaarden uit het bewijs.",
        )  # fmt: skip
        draft = build_draft(breach, organisation=ctx.settings.organisation,
                            reporter_name=po1.display_name, now=utc_now(),
                            alerts=alert_facts(db, breach))  # fmt: skip
    clock = clock_status(breach.aware_at, utc_now())
    out = root / f"ap-melding-datalek-{breach.breach_id}"
    out.with_suffix(".json").write_text(
        json.dumps(draft.as_json(), ensure_ascii=False, indent=2), encoding="utf-8"
    )
    out.with_suffix(".pdf").write_bytes(ap_draft_pdf(draft))
    severity = breach.severity or {}
    console.print(
        f"Alert {alert.alert_id} -> dossier {dossier.dossier_id} -> breach {breach.breach_id}: "
        f"{breach.affected['people']} person(s), {breach.affected['records']} record(s); "
        f"ENISA {severity.get('score')} ({severity.get('band')}); notify the AP by "
        f"{clock.deadline:%Y-%m-%d %H:%M} (Amsterdam).\n"
        f"AP notification draft: {len(draft.fields)} questions, {len(draft.missing)} still to "
        f"fill in by the privacy officer -> {out}.pdf and .json",
        highlight=False,
    )


def _serve(console: Console, store: Store, ctx: WebContext) -> None:
    """Serve the app until Ctrl+C (unless ``DEMO_SERVE=0``)."""
    port = int(os.environ.get("DEMO_PORT", "8000"))
    console.print(f"\nSign in at http://127.0.0.1:{port}/ (you choose your own password first). "
                  "Stop with Ctrl+C.", highlight=False)  # fmt: skip
    if os.environ.get("DEMO_SERVE", "1") == "0":
        return
    import uvicorn

    from schildwacht.app.evidence import warm_up
    from schildwacht.web.app import create_app

    warm_up(store)
    uvicorn.run(create_app(store.root, ctx=ctx), host="127.0.0.1", port=port,
                access_log=False, log_level="warning")  # fmt: skip


def _detect_and_show(console: Console, store: Store, town: Path) -> None:
    """Run detection, print the ten highest alerts with their reasons, and the quality."""
    from schildwacht.app.alerts.service import list_alerts
    from schildwacht.app.db import open_database
    from schildwacht.config import load_settings
    from schildwacht.detect.evaluate import evaluate, read_labels, scored
    from schildwacht.detect.runner import run_detection

    summary = run_detection(store)
    console.print(
        f"{len(summary.output.alerts):,} alerts; explanation and scenarios took "
        f"{sum(summary.output.seconds.values()):.1f} s. The ten highest:"
    )
    with open_database(load_settings(store.root))() as session:
        alerts = list_alerts(session)
    for rank, alert in enumerate(alerts[:10], start=1):
        console.print(
            f"{rank:2d}. [bold]{alert.score:5.1f}[/bold]  {alert.employee_id}  "
            f"{', '.join(alert.scenarios)}\n     {alert.summary_nl}",
            highlight=False,
        )
    for quality in evaluate(scored(alerts), read_labels(town)):
        console.print(
            f"Against the simulator's labels, top {quality.k}: recall {quality.recall:.2f}, "
            f"precision {quality.precision:.2f}"
        )


def _broken_delivery(folder: Path) -> Path:
    """A small events file with one good record and three that break the contract."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "events-correction.csv"
    path.write_text(
        "event_id,occurred_at,source_system,employee_id,action,subject_bsn\n"
        "corr-1,2026-01-20T10:00:00+01:00,brp,e00001,view,999993653\n"
        "corr-2,20-01-2026 10:00,brp,e00001,view,999993653\n"
        "corr-3,2026-01-20T10:05:00+01:00,brp,e00001,bekijken,123456789\n"
        "corr-4,2026-01-20T10:06:00+01:00,brp\n",
        encoding="utf-8",
    )
    return path


if __name__ == "__main__":
    main()

"""``make demo``: the product tour on a small simulated municipality.

Simulate a town, ingest it, show what is in the store, detect, and finally serve the web app
with demo accounts. Each later capability adds its step here, so the demo stays the quickest
way to see the whole product work. ``DEMO_PORT`` sets the port (default 8000);
``DEMO_SERVE=0`` stops after printing the accounts instead of serving.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from rich.console import Console

from schildwacht.cli import print_simulation
from schildwacht.ingest.pipeline import ingest
from schildwacht.ingest.report import print_summary
from schildwacht.simulate import simulate
from schildwacht.store.store import Store

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
    console.rule("7. The web app: triage with pseudonymised staff")
    _serve(console, store)


DEMO_ACCOUNTS = (
    ("privacy", "Demo privacy officer", "privacy_officer"),
    ("privacy2", "Tweede privacy officer (vier ogen)", "privacy_officer"),
    ("analist", "Demo analist", "analist"),
    ("auditor", "Demo auditor", "auditor"),
)


def _serve(console: Console, store: Store) -> None:
    """Create the demo accounts, print their one-time passwords, serve until Ctrl+C."""
    from schildwacht.app.audit.service import append
    from schildwacht.app.auth.service import add_user
    from schildwacht.web.context import WebContext

    ctx = WebContext.open(store.root)
    with ctx.tx() as db:
        for username, name, role in DEMO_ACCOUNTS:
            _user, password = add_user(db, username=username, roles=[role], display_name=name)
            append(db, actor="demo", action="user_added", target=f"user:{username}",
                   details={"roles": [role]})  # fmt: skip
            console.print(f"  {role:16} {username:9} one-time password: {password}",
                          highlight=False)  # fmt: skip
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

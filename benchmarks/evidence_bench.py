"""Evidence benchmark: what one alert page costs to read from the event store.

Run with ``python -m benchmarks.evidence_bench [STORE]`` (default ``demo-data/store``; the
default simulated town is ``bench-data/store-default`` after ``make bench``). It takes the
20 highest-scoring alerts of the store's database and measures, per alert page:

- cold: a new process per alert, as after an app start: importing the evidence package,
  ``warm_up(store)``, then the first ``alert_page_evidence``; and the same first call in a
  process that skipped ``warm_up``;
- warm: ``alert_page_evidence`` in one process once every alert has been shown once, and the
  four separate calls the page made before (``alert_evidence``, ``activity_timeline``,
  ``citizen_names``, ``subject_connections``).

The store is only read: the alerts come from a copy of its database in a temporary folder
(opening a database migrates it). Figures depend on the machine and on what else runs on
it: compare runs on one machine, and quote the core count with them.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

TOP = 20
WARM_ROUNDS = 3
DATABASE = "schildwacht.db"


def _alerts(db: Path, ids: list[str] | None = None) -> list[Any]:
    from schildwacht.app.alerts.service import get_alert, list_alerts
    from schildwacht.app.db import open_database

    sessions = open_database(f"sqlite:///{db}")
    with sessions() as session:
        if ids is None:
            return list_alerts(session, top=TOP)
        return [get_alert(session, alert_id=i) for i in ids]


def _seconds(call: Callable[[], object]) -> float:
    began = time.perf_counter()
    call()
    return time.perf_counter() - began


def _per_alert(call: Callable[[Any], None], alert: Any) -> float:
    began = time.perf_counter()
    call(alert)
    return time.perf_counter() - began


def _p95(values: list[float]) -> float:
    return (
        statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]
    )


def _line(label: str, values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return (
        f"{label:44} median {statistics.median(ms):7.0f} ms   p95 {_p95(ms):7.0f} ms   "
        f"max {max(ms):7.0f} ms   (n={len(ms)})"
    )


def cold_one(store_root: str, db: str, alert_id: str, warm: bool) -> None:
    """In a fresh process: time the import, ``warm_up`` and the first page (JSON on stdout)."""
    (alert,) = _alerts(Path(db), [alert_id])  # the database is not what is measured
    began = time.perf_counter()
    from schildwacht.app.evidence import alert_page_evidence, warm_up
    from schildwacht.store.store import Store

    imported = time.perf_counter() - began
    store = Store(Path(store_root))
    warmed = _seconds(lambda: warm_up(store)) if warm else 0.0
    first = _seconds(lambda: alert_page_evidence(store, alert))
    print(json.dumps({"import": imported, "warm_up": warmed, "first": first}))


def _cold(store: Path, db: Path, ids: list[str], warm: bool) -> list[dict[str, float]]:
    found = []
    for alert_id in ids:
        mode = "--cold-warm" if warm else "--cold-bare"
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.evidence_bench", mode, str(store), str(db),
             alert_id],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        found.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return found


def _event_count(store: Path) -> tuple[int, int]:
    import duckdb

    from schildwacht.store.store import Store

    files = [str(p) for p in Store(store).files("events")]
    if not files:
        return 0, 0
    row = duckdb.connect().execute("SELECT count(*) FROM read_parquet($f)", {"f": files})
    return int(row.fetchone()[0]), len(files)  # type: ignore[index]


def main(store: Path) -> None:
    from schildwacht.app.evidence import (
        activity_timeline,
        alert_evidence,
        alert_page_evidence,
        citizen_names,
        subject_connections,
    )
    from schildwacht.store.store import Store

    if not (store / "manifest.json").exists() or not (store / DATABASE).exists():
        raise SystemExit(f"{store}: no store with a database (run 'make demo' or 'make bench')")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    events, files = _event_count(store)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / DATABASE
        shutil.copy(store / DATABASE, db)
        alerts = _alerts(db)
        if not alerts:
            raise SystemExit(f"{store}: its database holds no alerts (run detection first)")
        print(
            f"evidence benchmark: {store} ({events:,} events in {files} files), "
            f"top {len(alerts)} alerts, {cores} cores"
        )
        ids = [a.alert_id for a in alerts]
        warmed = _cold(store, db, ids, warm=True)
        bare = _cold(store, db, ids, warm=False)

    s = Store(store)

    def page(alert: Any) -> None:
        alert_page_evidence(s, alert)

    def separate(alert: Any) -> None:
        alert_evidence(s, alert, limit=200)
        activity_timeline(
            s, employee_id=alert.employee_id, around=alert.last_seen,
            subject_bsns=alert.subject_bsns,
        )  # fmt: skip
        citizen_names(s, alert.subject_bsns)
        subject_connections(s, employee_id=alert.employee_id, subject_bsns=alert.subject_bsns)

    for alert in alerts:  # every alert once, so the warm figures are warm
        page(alert)
        separate(alert)
    warm_page = [_per_alert(page, a) for _ in range(WARM_ROUNDS) for a in alerts]
    warm_separate = [_per_alert(separate, a) for _ in range(WARM_ROUNDS) for a in alerts]

    print("\ncold, a new process per alert:")
    print(_line("  import of the evidence package", [r["import"] for r in warmed]))
    print(_line("  warm_up(store)", [r["warm_up"] for r in warmed]))
    print(_line("  first alert_page_evidence after warm_up", [r["first"] for r in warmed]))
    print(_line("  first alert_page_evidence without warm_up", [r["first"] for r in bare]))
    print("warm, one process:")
    print(_line("  alert_page_evidence", warm_page))
    print(_line("  the four separate calls", warm_separate))


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] in ("--cold-warm", "--cold-bare"):
        cold_one(sys.argv[2], sys.argv[3], sys.argv[4], warm=sys.argv[1] == "--cold-warm")
    else:
        main(Path(sys.argv[1] if len(sys.argv) > 1 else "demo-data/store"))

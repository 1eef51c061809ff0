"""Web benchmark: the alert queue page with 100,000 alerts (goal: p95 under 200 ms).

Builds a fresh store in ``bench-data/web`` with 100,000 synthetic alerts in the default
SQLite database (written through ``upsert_alerts``, as detection writes them), signs in a
privacy officer and requests the queue page in the ways a privacy officer uses it: the first
page, each status, a scenario, a department, a period, a deep page, and combinations. Each
request goes through the whole app in-process (routing, session check, queries, template),
without network; the figures are per request, on this machine; quote the core count.
Run with ``make bench`` or ``python -m benchmarks.web_bench``.
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from schildwacht.app.alerts.service import upsert_alerts
from schildwacht.app.auth.models import UserRecord
from schildwacht.app.auth.passwords import hash_password
from schildwacht.app.auth.service import add_user
from schildwacht.app.detection_runs.service import start_run
from schildwacht.detect.model import AlertCandidate, Reason
from schildwacht.detect.scenarios import SCENARIOS
from schildwacht.web.app import create_app
from schildwacht.web.context import WebContext

ROOT = Path(os.environ.get("BENCH_DIR", "bench-data")) / "web"
ALERTS = int(os.environ.get("BENCH_WEB_ALERTS", "100000"))
REQUESTS_PER_QUERY = 30
PASSWORD = "benchmark wachtwoord 2026"
DEPARTMENTS = ["Burgerzaken", "Sociaal Domein", "Belastingen", "Vergunningen", "Handhaving"]


def _candidate(rng: random.Random, n: int) -> AlertCandidate:
    scenario = rng.choice(list(SCENARIOS))
    start = datetime(2026, 1, 5, 8, tzinfo=UTC) + timedelta(minutes=rng.randrange(60 * 24 * 90))
    reason = Reason(scenario, f"{scenario}:x", f"Bekeek {n % 9 + 1} keer een dossier zonder zaak",
                    f"Viewed a record {n % 9 + 1} times without a case", 10.0)  # fmt: skip
    return AlertCandidate(
        alert_id=f"A-{n:016x}", employee_id=f"E{rng.randrange(3000):05d}",
        subject_bsns=(f"{rng.randrange(10**8, 10**9)}",), scenarios=(scenario,),
        score=round(rng.betavariate(2, 5) * 100, 3), first_seen=start,
        last_seen=start + timedelta(hours=rng.randrange(1, 200)),
        event_ids=tuple(f"bench:{n}:{i}" for i in range(3)), summary_nl=reason.text_nl,
        summary_en=reason.text_en, reasons=(reason,), scenario_versions={scenario: "1"},
    )  # fmt: skip


def build() -> WebContext:
    shutil.rmtree(ROOT, ignore_errors=True)
    ROOT.mkdir(parents=True)
    ctx = WebContext.open(ROOT)
    rng = random.Random(2026)
    candidates = [_candidate(rng, n) for n in range(ALERTS)]
    departments = {f"E{e:05d}": DEPARTMENTS[e % len(DEPARTMENTS)] for e in range(3000)}
    started = time.perf_counter()
    with ctx.tx() as db:
        run_id = start_run(db)
        upsert_alerts(db, candidates=candidates, run_id=run_id, departments=departments)
        user, _ = add_user(db, username="bench", roles=["privacy_officer"])
        row = db.get(UserRecord, user.user_id)
        assert row is not None
        row.password_hash, row.must_change_password = hash_password(PASSWORD), False
    print(f"stored {ALERTS:,} alerts in {time.perf_counter() - started:.1f} s")
    return ctx


def sign_in(client: TestClient) -> None:
    page = client.get("/inloggen")
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    done = client.post("/inloggen", data={"username": "bench", "password": PASSWORD,
                                          "csrf_token": token}, follow_redirects=False)  # fmt: skip
    assert done.status_code == 303, done.text


QUERIES = {
    "first page": "/meldingen",
    "status nieuw": "/meldingen?status=nieuw",
    "status afgesloten (empty)": "/meldingen?status=afgesloten",
    "scenario family": "/meldingen?scenario=family",
    "department": "/meldingen?afdeling=Belastingen",
    "period": "/meldingen?van=2026-02-01&tot=2026-02-14",
    "all filters": "/meldingen?scenario=bulk&afdeling=Burgerzaken&status=nieuw&van=2026-01-10",
    "page 200": "/meldingen?pagina=200",
    "htmx rows": "/meldingen?scenario=watchlist",
}


def measure(client: TestClient) -> list[float]:
    everything: list[float] = []
    print(f"\n{'query':28} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}")
    for name, url in QUERIES.items():
        headers = {"HX-Request": "true"} if name == "htmx rows" else {}
        client.get(url, headers=headers)  # warm the caches once
        times = []
        for _ in range(REQUESTS_PER_QUERY):
            began = time.perf_counter()
            response = client.get(url, headers=headers)
            times.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, response.status_code
        everything += times
        p95 = statistics.quantiles(times, n=20)[-1]
        print(f"{name:28} {statistics.median(times):10.1f} {p95:8.1f} {max(times):8.1f}")
    return everything


def main() -> None:
    print(f"web benchmark: queue page with {ALERTS:,} alerts, {os.cpu_count()} cores")
    ctx = build()
    app = create_app(ctx.store.root, ctx=ctx)
    with TestClient(app) as client:
        sign_in(client)
        times = measure(client)
    p95 = statistics.quantiles(times, n=20)[-1]
    verdict = "met" if p95 < 200 else "NOT met"
    print(f"\nall queue requests: p95 {p95:.1f} ms (goal < 200 ms: {verdict})")


if __name__ == "__main__":
    main()

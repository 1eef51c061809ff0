"""Several web worker processes and a running ``detect`` at the same time, on one database.

Real processes, not threads: ``schildwacht serve --workers 2`` (two uvicorn worker
processes) and ``schildwacht detect`` re-running over the same store, while six clients,
three for each of two privacy officers, start investigations, comment and view alerts as fast
as they can. Afterwards nothing is lost or doubled: every comment exists exactly once, every
started alert is still under investigation (detection's upsert must not undo a person's
act), the set of alerts is what detection makes on its own, and the audit trail is one
unbroken chain holding exactly one entry per act. Runs on SQLite and, under
``scripts/with_postgres.sh``, on PostgreSQL.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from schildwacht.app.alerts.models import AlertRecord, AlertScenarioRecord
from schildwacht.app.audit.models import AuditRecord
from schildwacht.app.audit.service import verify
from schildwacht.app.triage.models import AlertNoteRecord
from schildwacht.web.context import WebContext
from tests.web.conftest import PASSWORD, csrf_of, make_user
from tests.web.town import copy_store

pytestmark = pytest.mark.timeout(600)
CLIENTS = 6
ALERTS_PER_CLIENT = 4


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _cli(store: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "schildwacht.cli", "--store", str(store), *args]


def _wait(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 90
    while True:
        with contextlib.suppress(httpx.TransportError):  # not listening yet
            if httpx.get(f"{base}/inloggen", timeout=2).status_code == 200:
                return
        assert server.poll() is None, "schildwacht serve stopped"
        assert time.monotonic() < deadline, "schildwacht serve did not answer"
        time.sleep(0.2)


def _signed_in(base: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=60)
    page = client.get("/inloggen")
    done = client.post("/inloggen", data={"username": username, "password": PASSWORD,
                                          "csrf_token": csrf_of(page.text)})  # fmt: skip
    assert done.status_code in (200, 303), done.text
    return client


def _work(base: str, username: str, alert_ids: list[str], tag: str) -> list[str]:
    """View, start and comment on each alert; returns the comments posted."""
    posted = []
    client = _signed_in(base, username)
    try:
        for alert_id in alert_ids:
            page = client.get(f"/meldingen/{alert_id}")
            assert page.status_code == 200
            token = csrf_of(page.text)
            started = client.post(f"/meldingen/{alert_id}/onderzoek",
                                  data={"csrf_token": token})  # fmt: skip
            assert started.status_code == 303, started.text
            text = f"{tag}: opmerking bij {alert_id}"
            commented = client.post(f"/meldingen/{alert_id}/opmerking",
                                    data={"csrf_token": token, "text": text})  # fmt: skip
            assert commented.status_code == 303, commented.text
            posted.append(text)
    finally:
        client.close()
    return posted


def test_web_workers_and_detect_at_once_lose_and_double_nothing(
    town_store: Path, tmp_path: Path
) -> None:
    store = copy_store(town_store, tmp_path / "store")
    ctx = WebContext.open(store)
    for name in ("po.een", "po.twee"):
        make_user(ctx, name, "privacy_officer")
    with ctx.tx() as db:
        before = set(db.execute(sa.select(AlertRecord.alert_id)).scalars())
        chosen = list(db.execute(
            sa.select(AlertRecord.alert_id).where(AlertRecord.status == "nieuw")
            .order_by(AlertRecord.score.desc()).limit(CLIENTS * ALERTS_PER_CLIENT)
        ).scalars())  # fmt: skip
        entries_before = db.execute(sa.select(sa.func.count()).select_from(AuditRecord)).scalar()
    ctx.sessions.kw["bind"].dispose()
    assert len(chosen) == CLIENTS * ALERTS_PER_CLIENT

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = (tmp_path / "serve.log").open("wb")
    serve = _cli(store, "serve", "--port", str(port), "--workers", "2")
    server = subprocess.Popen(serve, stdout=log, stderr=subprocess.STDOUT, env=os.environ.copy())
    try:
        _wait(base, server)
        detect = subprocess.Popen(_cli(store, "detect"), stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, env=os.environ.copy())  # fmt: skip
        with ThreadPoolExecutor(CLIENTS) as pool:
            jobs = [
                pool.submit(_work, base, ("po.een", "po.twee")[n % 2],
                            chosen[n * ALERTS_PER_CLIENT:(n + 1) * ALERTS_PER_CLIENT], f"c{n}")
                for n in range(CLIENTS)
            ]  # fmt: skip
            posted = [text for job in jobs for text in job.result()]
        output, _ = detect.communicate(timeout=300)
        assert detect.returncode == 0, output.decode()
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()

    ctx = WebContext.open(store)
    with ctx.tx() as db:
        notes = list(db.execute(
            sa.select(AlertNoteRecord.text).where(AlertNoteRecord.kind == "comment")
        ).scalars())  # fmt: skip
        assert sorted(notes) == sorted(posted)  # each exactly once
        statuses = dict(db.execute(
            sa.select(AlertRecord.alert_id, AlertRecord.status)
            .where(AlertRecord.alert_id.in_(chosen))
        ).all())  # fmt: skip
        assert set(statuses.values()) == {"in_onderzoek"}  # detection undid no act
        after = set(db.execute(sa.select(AlertRecord.alert_id)).scalars())
        assert after == before  # the same data give the same alerts: none lost, none new
        links = db.execute(sa.select(AlertScenarioRecord.alert_id)).scalars().all()
        assert set(links) == after
        seqs = list(db.execute(sa.select(AuditRecord.seq).order_by(AuditRecord.seq)).scalars())
        assert seqs == list(range(1, len(seqs) + 1))  # one chain, no number twice or skipped
        assert verify(db).ok
        ours = db.execute(
            sa.select(AuditRecord.action, sa.func.count())
            .where(AuditRecord.actor.in_(["po.een", "po.twee"]),
                   AuditRecord.action.in_(["view_alert", "status_changed", "comment_added"]))
            .group_by(AuditRecord.action)
        ).all()  # fmt: skip
        assert dict(ours) == {"view_alert": len(chosen), "status_changed": len(chosen),
                              "comment_added": len(chosen)}  # fmt: skip
        assert len(seqs) > entries_before
    ctx.sessions.kw["bind"].dispose()

"""Many threads writing at once (as the web app's request threads do) lose and double nothing."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import sqlalchemy as sa

from schildwacht.app.audit.models import AuditRecord
from schildwacht.app.audit.service import append, verify
from schildwacht.app.db import open_database


def test_concurrent_audit_appends_keep_one_unbroken_chain(tmp_path: Path) -> None:
    sessions = open_database(f"sqlite:///{tmp_path / 'app.db'}")

    def act(n: int) -> None:
        with sessions.begin() as db:
            db.execute(sa.select(AuditRecord.seq).limit(1)).all()  # read first, then write
            append(db, actor=f"user{n % 4}", action="view_alert", target=f"alert:{n}")

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(act, range(200)))
    with sessions.begin() as db:
        result = verify(db)
        targets = set(db.execute(sa.select(AuditRecord.target)).scalars())
    assert result.ok and result.checked == 200
    assert targets == {f"alert:{n}" for n in range(200)}

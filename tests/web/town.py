"""A small simulated town with detected alerts, shared by the web, API and browser tests.

Built once per test session (about 20 s on 2 cores) in a temporary folder and then copied
per test module that changes it, so tests never share mutable state.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from schildwacht.config import DATABASE_URL_ENV
from schildwacht.detect.runner import run_detection
from schildwacht.ingest.pipeline import ingest
from schildwacht.simulate.generate import simulate
from schildwacht.store.store import Store
from tests import databases

TOWN = {"seed": 11, "employees": 60, "citizens": 3000, "days": 21, "start": date(2026, 3, 2)}


TOWN_DATABASES: dict[Path, str] = {}
"""On PostgreSQL: the database of each built town (``tests/databases.py``)."""


def build_town(root: Path) -> Path:
    """Simulate, ingest and detect into ``root/store``; returns the store folder. On
    PostgreSQL the town's application database is a database of its own on the server."""
    town = root / "town"
    simulate(town, **TOWN)  # type: ignore[arg-type]
    store = Store(root / "store")
    store.ensure()
    files = sorted(p for p in town.iterdir() if p.is_file() and p.name != "labels.jsonl")
    ingest(store, files)
    if databases.on_postgres():
        url = databases.new_database()
        with _database_url(url):
            run_detection(store)
        TOWN_DATABASES[store.root] = url
    else:
        run_detection(store)
    return store.root


@contextmanager
def _database_url(url: str) -> Iterator[None]:
    """``SCHILDWACHT_DATABASE_URL`` set for a session-wide build (no monkeypatch there)."""
    before = os.environ.get(DATABASE_URL_ENV)
    os.environ[DATABASE_URL_ENV] = url
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(DATABASE_URL_ENV, None)
        else:
            os.environ[DATABASE_URL_ENV] = before


def copy_store(source: Path, target: Path) -> Path:
    """A private copy of a built store (the pseudonym key is created by the app later). On
    PostgreSQL the town's database is copied into the test's own (``app_database``)."""
    shutil.copytree(source, target)
    own = os.environ.get(DATABASE_URL_ENV)
    if databases.on_postgres() and own and source in TOWN_DATABASES:
        databases.replace_with_copy(own, TOWN_DATABASES[source])
    return target

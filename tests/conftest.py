"""Shared test helpers: small contract files written by code, and a store to ingest into."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from schildwacht.config import DATABASE_URL_ENV
from schildwacht.contract import TABLES
from schildwacht.store.store import Store
from tests import databases

EVENT_HEADER = list(TABLES["events"].column_names)


def write_csv(path: Path, rows: Iterable[dict[str, Any]], header: list[str] | None = None) -> Path:
    """Write rows as an RFC 4180 CSV file with the given (or the rows' own) header."""
    rows = list(rows)
    header = header or list(rows[0])
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
    return path


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def event(event_id: str, **fields: Any) -> dict[str, Any]:
    """A valid event; keyword arguments override its fields."""
    row: dict[str, Any] = {
        "event_id": event_id,
        "occurred_at": "2026-03-02T10:15:00+01:00",
        "source_system": "brp",
        "employee_id": "e00001",
        "action": "view",
        "subject_bsn": "123456782",
        "processing_activity": "va-brp-raadplegen",
        "data_categories": "basis|adres",
        "outcome": "ok",
        "client": "WS-001",
    }
    row.update(fields)
    return row


def stored(store: Store, table: str, order_by: str = "1") -> list[dict[str, Any]]:
    """All rows of a stored table as dicts (timestamps as UTC ISO strings)."""
    files = [str(p) for p in store.files(table)]
    if not files:
        return []
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'").fetchall()
    result = con.execute(f"SELECT * FROM read_parquet($f) ORDER BY {order_by}", {"f": files})
    names = [d[0] for d in result.description]
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


def quarantined(store: Store) -> list[dict[str, Any]]:
    from schildwacht.ingest.quarantine import read_quarantine

    return read_quarantine(duckdb.connect(), store.quarantine_files())


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "store")


@pytest.fixture(scope="session")
def town_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small detected town, built once per test run for the web, API and browser tests;
    never change it, copy it (``tests.web.town.copy_store``)."""
    from tests.web.town import build_town

    return build_town(tmp_path_factory.mktemp("town"))


@pytest.fixture(autouse=True)
def app_database(monkeypatch: pytest.MonkeyPatch) -> Iterator[str | None]:
    """Each test's application database (``tests/databases.py``): on PostgreSQL a database
    of its own, named by ``SCHILDWACHT_DATABASE_URL``; on SQLite the variable is cleared, so a
    developer's own setting never leaks into a test and each store uses its own file."""
    if not databases.on_postgres():
        monkeypatch.delenv(DATABASE_URL_ENV, raising=False)
        yield None
        return
    url = databases.new_database()
    monkeypatch.setenv(DATABASE_URL_ENV, url)
    yield url
    databases.drop(url)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    databases.drop_all()

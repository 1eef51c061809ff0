"""The embedded event store: Parquet files on disk, published through the manifest.

Layout under the store root::

    manifest.json                          which files are live (see manifest.py)
    events/date=YYYY-MM-DD/<batch>-*.parquet  events, partitioned by local (Amsterdam) date
    context/<table>/<batch>.parquet        one live snapshot file per context table
    quarantine/<batch>.parquet             rejected records with file, locator and reason
    tmp/                                   staging and DuckDB spill space; never read

Events are partitioned by date because every later stage (detection windows, the reverse
look-up) reads time ranges; context tables are small snapshots rewritten whole.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from schildwacht.store.manifest import (
    Manifest,
    fsync_dir,
    fsync_file,
    read_manifest,
    write_manifest,
)
from schildwacht.store.sql import run as run_sql

DEFAULT_MEMORY_LIMIT = "1GB"


class StoreLockedError(RuntimeError):
    """Another process is writing to the same store."""


@dataclass
class Batch:
    """Files written by one unit of work, published together or not at all."""

    batch_id: str
    staging: Path
    added: dict[str, list[str]] = field(default_factory=dict)
    replaced: dict[str, str] = field(default_factory=dict)
    quarantine: list[str] = field(default_factory=list)


class Store:
    """A Schildwacht store at ``root``; see the module docstring for its layout."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def manifest(self) -> Manifest:
        return read_manifest(self.root)

    def exists(self) -> bool:
        return (self.root / "manifest.json").exists()

    def ensure(self) -> None:
        """Create the store's folders (idempotent)."""
        for sub in ("events", "context", "quarantine", "tmp"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)

    def files(self, table: str) -> list[Path]:
        """The live files of ``table``, absolute."""
        return [self.root / rel for rel in self.manifest.tables.get(table, [])]

    def quarantine_files(self) -> list[Path]:
        return [self.root / rel for rel in self.manifest.quarantine]

    def connect(self, memory_limit: str | None = None) -> duckdb.DuckDBPyConnection:
        """A DuckDB connection that spills into the store's tmp folder.

        Time zone is Europe/Amsterdam so that timestamps without an offset are read as
        Dutch local time, as the contract prescribes.
        """
        self.ensure()
        limit = memory_limit or os.environ.get("SCHILDWACHT_MEMORY_LIMIT", DEFAULT_MEMORY_LIMIT)
        spill = self.root / "tmp" / "duckdb"
        spill.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(
            config={
                "memory_limit": limit,
                "temp_directory": str(spill),
                "preserve_insertion_order": True,
            }
        )
        run_sql(con, "SET TimeZone = 'Europe/Amsterdam'")  # ICU is built in, loaded after connect
        run_sql(con, "SET enable_progress_bar = false")  # stdout belongs to the command
        return con

    @contextmanager
    def writer(self) -> Iterator[None]:
        """Hold the store's write lock; clears orphans left by an interrupted writer."""
        self.ensure()
        lock_path = self.root / ".lock"
        with lock_path.open("w") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise StoreLockedError(
                    f"store {self.root} is in use by another schildwacht process; "
                    "wait for it to finish"
                ) from None
            self.remove_orphans()
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def remove_orphans(self) -> None:
        """Delete data files no manifest lists: the leftovers of an interrupted batch."""
        live = self.manifest.live_files()
        for sub in ("events", "context", "quarantine"):
            base = self.root / sub
            if not base.exists():
                continue
            for path in base.rglob("*.parquet"):
                if path.relative_to(self.root).as_posix() not in live:
                    path.unlink()
        shutil.rmtree(self.root / "tmp" / "staging", ignore_errors=True)

    def new_batch(self) -> Batch:
        batch_id = uuid.uuid4().hex[:16]
        staging = self.root / "tmp" / "staging" / batch_id
        staging.mkdir(parents=True, exist_ok=True)
        return Batch(batch_id=batch_id, staging=staging)

    def place(self, batch: Batch, staged: Path, relative: str) -> str:
        """Move a finished staged file to its final place (unpublished until commit)."""
        target = self.root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        fsync_file(staged)
        os.replace(staged, target)
        fsync_dir(target.parent)
        return relative

    def commit(self, batch: Batch, run: dict[str, Any]) -> None:
        """Publish the batch's files and the run record in one manifest write."""
        manifest = self.manifest
        for table, paths in batch.added.items():
            manifest.tables.setdefault(table, []).extend(paths)
        for table, path in batch.replaced.items():
            manifest.tables[table] = [path]
        manifest.quarantine.extend(batch.quarantine)
        manifest.runs = [r for r in manifest.runs if r.get("run_id") != run["run_id"]]
        manifest.runs.append(run)
        write_manifest(self.root, manifest)
        shutil.rmtree(batch.staging, ignore_errors=True)
        self._remove_replaced(manifest)

    def _remove_replaced(self, manifest: Manifest) -> None:
        """Old snapshot files are no longer listed; delete them now rather than later."""
        live = manifest.live_files()
        base = self.root / "context"
        for path in base.rglob("*.parquet"):
            if path.relative_to(self.root).as_posix() not in live:
                path.unlink()

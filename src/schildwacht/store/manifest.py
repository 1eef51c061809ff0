"""The store's manifest: the single source of truth for which Parquet files are live.

Writers never change a live file. They write new files beside the live ones, make them
durable (fsync), and only then publish them by replacing ``manifest.json`` atomically
(write a temporary file, fsync, rename, fsync the directory). Readers only read files the
manifest lists. A process killed at any moment therefore leaves either the old manifest or
the new one; files written by an interrupted batch are orphans that nobody reads and that
the next writer removes.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = 1


@dataclass
class Manifest:
    """Live files per table, quarantine files, and the history of ingest runs."""

    tables: dict[str, list[str]] = field(default_factory=dict)
    quarantine: list[str] = field(default_factory=list)
    runs: list[dict[str, Any]] = field(default_factory=list)
    version: int = 0

    def live_files(self) -> set[str]:
        """Every file (relative to the store root) that readers may see."""
        files = {f for paths in self.tables.values() for f in paths}
        return files | set(self.quarantine)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": MANIFEST_FORMAT,
            "version": self.version,
            "tables": self.tables,
            "quarantine": self.quarantine,
            "runs": self.runs,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Manifest:
        if data.get("format") != MANIFEST_FORMAT:
            raise ValueError(f"unsupported manifest format {data.get('format')!r}")
        return cls(
            tables={k: list(v) for k, v in data.get("tables", {}).items()},
            quarantine=list(data.get("quarantine", [])),
            runs=list(data.get("runs", [])),
            version=int(data.get("version", 0)),
        )


def read_manifest(root: Path) -> Manifest:
    """The manifest of the store at ``root``; an empty one when the store is new."""
    path = root / MANIFEST_NAME
    if not path.exists():
        return Manifest()
    with path.open(encoding="utf-8") as handle:
        return Manifest.from_json(json.load(handle))


def write_manifest(root: Path, manifest: Manifest) -> None:
    """Publish ``manifest`` atomically: the old or the new version survives any crash."""
    manifest.version += 1
    tmp = root / f".{MANIFEST_NAME}.{os.getpid()}.tmp"
    with tmp.open("w", encoding="utf-8") as handle:
        json.dump(manifest.to_json(), handle, ensure_ascii=False, indent=1)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, root / MANIFEST_NAME)
    fsync_dir(root)


def fsync_dir(path: Path) -> None:
    """Make a rename or a new file in ``path`` durable (POSIX needs the directory synced)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_file(path: Path) -> None:
    """Flush a finished file to disk before it is published in the manifest."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

"""A small simulated town with detected alerts, shared by the web, API and browser tests.

Built once per test session (about 20 s on 2 cores) in a temporary folder and then copied
per test module that changes it, so tests never share mutable state.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from schildwacht.detect.runner import run_detection
from schildwacht.ingest.pipeline import ingest
from schildwacht.simulate.generate import simulate
from schildwacht.store.store import Store

TOWN = {"seed": 11, "employees": 60, "citizens": 3000, "days": 21, "start": date(2026, 3, 2)}


def build_town(root: Path) -> Path:
    """Simulate, ingest and detect into ``root/store``; returns the store folder."""
    town = root / "town"
    simulate(town, **TOWN)  # type: ignore[arg-type]
    store = Store(root / "store")
    store.ensure()
    files = sorted(p for p in town.iterdir() if p.is_file() and p.name != "labels.jsonl")
    ingest(store, files)
    run_detection(store)
    return store.root


def copy_store(source: Path, target: Path) -> Path:
    """A private copy of a built store (the pseudonym key is created by the app later)."""
    shutil.copytree(source, target)
    return target

"""Detection keeps its materialised tables in a scratch file, and always removes it.

The file lives in the store's ``tmp/duckdb`` (compressed tables instead of uncompressed
spill: at 100 million events the spill outgrew the disk). A run that fails must not leave
a copy of every access behind either: the tables hold employees' and citizens' numbers.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from schildwacht.config import Settings
from schildwacht.detect import engine
from schildwacht.detect.runner import detection_params
from schildwacht.detect.scoring import ScoringSettings
from tests.detect.conftest import Detected


def _scratch_files(detected: Detected) -> list[Path]:
    return sorted((detected.store.root / "tmp" / "duckdb").glob("detect-*.duckdb*"))


def test_scratch_file_exists_during_the_run_and_is_removed_after(
    detected: Detected, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[list[Path]] = []
    build_alerts = engine.build_alerts

    def watching(*args: Any) -> Any:
        seen.append(_scratch_files(detected))
        return build_alerts(*args)

    monkeypatch.setattr(engine, "build_alerts", watching)
    output = engine.compute(detected.store, detection_params(Settings()), ScoringSettings())
    assert output.alerts == detected.output.alerts  # the same alerts from the scratch tables
    assert seen and any(p.suffix == ".duckdb" for p in seen[0])
    assert _scratch_files(detected) == []


def test_a_failed_run_leaves_no_scratch_file(
    detected: Detected, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(*args: Any) -> Any:
        raise RuntimeError("scoring failed")

    monkeypatch.setattr(engine, "build_alerts", failing)
    with pytest.raises(RuntimeError, match="scoring failed"):
        engine.compute(detected.store, detection_params(Settings()), ScoringSettings())
    assert _scratch_files(detected) == []


def test_a_killed_runs_scratch_file_is_removed_by_the_next_run(
    detected: Detected, tmp_path: Path
) -> None:
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    folder = detected.store.root / "tmp" / "duckdb"
    stale = folder / f"detect-{int(gone.stdout)}-deadbeef.duckdb"
    stale.write_bytes(b"a killed run's copy of the accesses")
    running = folder / f"detect-{os.getpid()}-cafe0123.duckdb"  # a live process's file
    running.write_bytes(b"in use")
    try:
        engine.compute(detected.store, detection_params(Settings()), ScoringSettings())
        assert not stale.exists()
        assert running.exists()
    finally:
        running.unlink(missing_ok=True)

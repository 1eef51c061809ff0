"""Detection keeps its materialised tables in a scratch file, and always removes it.

The file lives in the store's ``tmp/duckdb`` (compressed tables instead of uncompressed
spill: at 100 million events the spill outgrew the disk). A run that fails must not leave
a copy of every access behind either: the tables hold employees' and citizens' numbers.
"""

from __future__ import annotations

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

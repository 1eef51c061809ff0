"""``make demo`` keeps working: the tour runs end to end on a small simulated town."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_demo_runs_the_tour(tmp_path: Path) -> None:
    env = {**os.environ, "DEMO_DIR": str(tmp_path / "demo"), "COLUMNS": "120"}
    done = subprocess.run(
        [sys.executable, "-m", "schildwacht.demo"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Labelled misuse incidents" in out
    assert "labels.jsonl recognised and not ingested" in out
    assert "invalid BSN, fails the elfproef" in out  # the broken delivery is quarantined
    assert (tmp_path / "demo" / "store" / "manifest.json").exists()
    assert "The ten highest:" in out and " 1. " in out and "10. " in out
    assert "recall" in out and "precision" in out

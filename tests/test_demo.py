"""``make demo`` keeps working: the tour runs end to end and ends by serving the web app."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_demo_runs_the_tour_and_serves_the_app(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "DEMO_DIR": str(tmp_path / "demo"), "COLUMNS": "250",
           "DEMO_PORT": str(port)}  # fmt: skip
    log = tmp_path / "demo.log"
    with log.open("w") as out:
        demo = subprocess.Popen(
            [sys.executable, "-m", "schildwacht.demo"], stdout=out, stderr=subprocess.STDOUT,
            env=env,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 300
            while "Sign in at" not in log.read_text() and demo.poll() is None:
                assert time.monotonic() < deadline, "the demo did not reach the web app"
                time.sleep(1)
            text = log.read_text()
            assert demo.poll() is None, text
            page = _wait_for(f"http://127.0.0.1:{port}/inloggen")
            assert page.status_code == 200 and '<html lang="nl">' in page.text
        finally:
            demo.terminate()
            demo.wait(timeout=30)
    out_text = log.read_text()
    assert "Labelled misuse incidents" in out_text
    assert "labels.jsonl recognised and not ingested" in out_text
    assert "invalid BSN, fails the elfproef" in out_text  # the broken delivery is quarantined
    assert (tmp_path / "demo" / "store" / "manifest.json").exists()
    assert "The ten highest:" in out_text and " 1. " in out_text and "10. " in out_text
    assert "recall" in out_text and "precision" in out_text
    assert "AP notification draft:" in out_text  # one confirmed case taken to the draft
    drafts = list((tmp_path / "demo").glob("ap-melding-datalek-*.pdf"))
    assert len(drafts) == 1 and drafts[0].read_bytes().startswith(b"%PDF")
    passwords = re.findall(r"(privacy|analist)\s+one-time password: (\S+)", out_text)
    assert {role for role, _ in passwords} == {"privacy", "analist"}


def _wait_for(url: str) -> httpx.Response:
    deadline = time.monotonic() + 60
    while True:
        try:
            return httpx.get(url, timeout=5)
        except httpx.TransportError:
            assert time.monotonic() < deadline, f"nothing answers at {url}"
            time.sleep(0.5)

"""The real thing, once for all browser tests: a detected town, accounts made with the CLI,
the server running as a subprocess (``schildwacht serve``) and a headless Chromium driving it.

The fixtures are package-scoped: built once for ``tests/e2e`` and stopped as soon as its tests
are done, so the server and the browser do not idle through the rest of ``make test``.

Needs Debian's ``/usr/bin/chromium`` and ``tests/e2e/node_modules/axe-core`` (``make e2e-deps``);
``.ci/run`` installs both. Screenshots go to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Playwright, sync_playwright

from tests.e2e.support import (
    AXE_HINT,
    AXE_JS,
    BROWSER_ARGS,
    CHROMIUM,
    CHROMIUM_HINT,
    Account,
    add_user,
    clean_env,
    cli_command,
)
from tests.web.town import copy_store

STARTUP_SECONDS = 60
PAGE_TIMEOUT_MS = 15_000


def _require(path: Path, what: str, hint: str) -> None:
    if not path.exists():
        pytest.fail(f"{what} not found at {path}: {hint}", pytrace=False)


@pytest.fixture(scope="package")
def e2e_store(town_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the detected town of its own (the browser tests change it)."""
    _require(CHROMIUM, "Chromium", CHROMIUM_HINT)
    _require(AXE_JS, "axe-core", AXE_HINT)
    return copy_store(town_store, tmp_path_factory.mktemp("e2e") / "store")


@dataclass(frozen=True)
class Accounts:
    """Every account the browser tests use, each with its one-time password."""

    po1: Account  # privacy officer who reveals and proposes the decision
    po2: Account  # second privacy officer who confirms it
    analyst: Account
    auditor: Account
    checker: Account  # privacy officer and auditor: the accessibility test's own account
    breach_officer: Account  # privacy officer who handles the breach dossiers
    breach_decider: Account  # privacy officer who decides not to notify (the FG confirms)
    fg: Account  # the data protection officer, who confirms not notifying


@pytest.fixture(scope="package")
def accounts(e2e_store: Path) -> Accounts:
    """Made through ``schildwacht users add`` before the server starts (one at a time: the
    audit trail is a chain)."""
    return Accounts(
        po1=add_user(e2e_store, "po.eerste", "privacy_officer"),
        po2=add_user(e2e_store, "po.tweede", "privacy_officer"),
        analyst=add_user(e2e_store, "analist.een", "analist"),
        auditor=add_user(e2e_store, "auditor.een", "auditor"),
        checker=add_user(e2e_store, "toegankelijk", "privacy_officer", "auditor"),
        breach_officer=add_user(e2e_store, "po.datalek", "privacy_officer"),
        breach_decider=add_user(e2e_store, "po.besluit", "privacy_officer"),
        fg=add_user(e2e_store, "fg.een", "fg"),
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture(scope="package")
def server(
    e2e_store: Path, accounts: Accounts, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """``schildwacht serve`` on a free port; yields its base URL and stops it afterwards."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = tmp_path_factory.mktemp("server") / "serve.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            cli_command(e2e_store, "serve", "--host", "127.0.0.1", "--port", str(port)),
            stdout=log,
            stderr=subprocess.STDOUT,
            env=clean_env(),
            cwd=e2e_store.parent,
        )
        try:
            deadline = time.monotonic() + STARTUP_SECONDS
            while not _answers(f"{base}/inloggen"):
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(
                        f"schildwacht serve did not answer on {base} (exit code "
                        f"{process.poll()}):\n{log_path.read_text()}",
                        pytrace=False,
                    )
                time.sleep(0.1)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


@pytest.fixture(scope="package")
def playwright_driver() -> Iterator[Playwright]:
    driver = sync_playwright().start()
    try:
        yield driver
    finally:
        driver.stop()


@pytest.fixture(scope="package")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    """Debian's Chromium, headless, without anything that phones home."""
    _require(CHROMIUM, "Chromium", CHROMIUM_HINT)
    chromium = playwright_driver.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=BROWSER_ARGS
    )
    try:
        yield chromium
    finally:
        chromium.close()


NewContext = Callable[..., BrowserContext]


@pytest.fixture
def new_context(browser: Browser, server: str) -> Iterator[NewContext]:
    """``new_context(bypass_csp=False)``: a fresh browser profile (its own cookies) on the
    server; closed when the test ends."""
    made: list[BrowserContext] = []

    def make(*, bypass_csp: bool = False) -> BrowserContext:
        context = browser.new_context(
            base_url=server,
            bypass_csp=bypass_csp,
            locale="nl-NL",
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(PAGE_TIMEOUT_MS)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()

"""Helpers for the browser tests: the real CLI, signing in, screenshots and the axe check.

The fixtures that start the server and the browser are in ``conftest.py``; these are plain
functions so that tests can import them with their types.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict

from playwright.sync_api import Page

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_HINT = "run .ci/run, or install it with `apt-get install chromium`"
AXE_HINT = "run .ci/run or `make e2e-deps` (npm ci in tests/e2e)"

BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = ("serious", "critical")
PSEUDONYM = re.compile(r"\bMW-[A-Z2-7]{4}-[A-Z2-7]{4}\b")
NEW_PASSWORD = "een lang en eigen wachtwoord voor de browsertest"

# Variables that would point the CLI or the server at another store or database.
_STORE_ENV = ("SCHILDWACHT_STORE", "SCHILDWACHT_DATABASE_URL", "SCHILDWACHT_PSEUDONYM_KEY_FILE")


def clean_env() -> dict[str, str]:
    """This process's environment without anything that points at another store."""
    env = {k: v for k, v in os.environ.items() if k not in _STORE_ENV}
    env["PYTHONUNBUFFERED"] = "1"
    return env


def cli_command(store: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "schildwacht.cli", "--store", str(store), *args]


def run_cli(store: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """``schildwacht --store STORE ARGS...`` as a subprocess, the way an operator runs it."""
    done = subprocess.run(
        cli_command(store, *args),
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=120,
        check=False,
    )
    if check and done.returncode != 0:
        raise AssertionError(
            f"schildwacht {' '.join(args)} exited {done.returncode}\n"
            f"stdout: {done.stdout}\nstderr: {done.stderr}"
        )
    return done


@dataclass(frozen=True)
class Account:
    """A user made with ``schildwacht users add``; ``password`` is the one-time password."""

    username: str
    password: str


def add_user(store: Path, username: str, *roles: str) -> Account:
    """Create the account through the CLI and read the one-time password it prints."""
    role_args = [arg for role in roles for arg in ("--role", role)]
    done = run_cli(store, "users", "add", username, *role_args)
    found = re.search(r"One-time password:\s*(\S+)", done.stdout)
    assert found, f"no one-time password in the output of users add:\n{done.stdout}"
    return Account(username, found.group(1))


def submit_sign_in(page: Page, account: Account) -> None:
    """Fill in and send the sign-in form with the account's one-time password."""
    page.goto("/inloggen")
    page.get_by_label("Gebruikersnaam").fill(account.username)
    page.get_by_label("Wachtwoord", exact=True).fill(account.password)
    page.get_by_role("button", name="Inloggen").click()


def choose_password(page: Page, account: Account, new_password: str = NEW_PASSWORD) -> None:
    """On the forced password form: replace the one-time password."""
    page.wait_for_url("**/account/wachtwoord")
    page.get_by_label("Huidig wachtwoord").fill(account.password)
    page.get_by_label("Nieuw wachtwoord", exact=True).fill(new_password)
    page.get_by_label("Nieuw wachtwoord nogmaals").fill(new_password)
    page.get_by_role("button", name="Wachtwoord opslaan").click()
    page.wait_for_url(lambda url: not url.endswith("/account/wachtwoord"))


def sign_in_first_time(page: Page, account: Account) -> None:
    """Sign in with the one-time password and choose a new one, as the app insists."""
    submit_sign_in(page, account)
    choose_password(page, account)


def csrf_token(page: Page) -> str:
    """The session's CSRF token, from the sign-out form every signed-in page has."""
    value = page.locator("input[name=csrf_token]").first.get_attribute("value")
    assert value, "no CSRF token on the page"
    return value


def screenshot(page: Page, name: str) -> Path:
    """A full-page screenshot in test-artifacts/screenshots/NAME.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


class AxeNode(TypedDict):
    target: list[Any]
    html: str
    failureSummary: str


class AxeViolation(TypedDict):
    id: str
    impact: str | None
    help: str
    helpUrl: str
    nodes: list[AxeNode]


_RUN_AXE = """
async (tags) => {
  const result = await window.axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({
      target: n.target, html: n.html, failureSummary: n.failureSummary || "",
    })),
  }));
}
"""


def check_accessibility(page: Page) -> list[AxeViolation]:
    """Run axe-core (WCAG 2.1 A and AA rules) on the page; the serious and critical violations.

    axe is injected as an inline script, which the app's Content-Security-Policy forbids: the
    page must come from a browser context made with ``bypass_csp=True``.
    """
    if not AXE_JS.is_file():
        raise AssertionError(f"axe-core is missing at {AXE_JS}: {AXE_HINT}")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    violations: list[AxeViolation] = page.evaluate(_RUN_AXE, WCAG_TAGS)
    return [v for v in violations if v["impact"] in BLOCKING_IMPACTS]


def describe(violations: list[AxeViolation]) -> str:
    """Rule, impact, help and the failing elements of each violation, for an assertion."""
    lines: list[str] = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            lines.append(f"    at {target}: {node['html'][:160]}")
            summary = " ".join(node["failureSummary"].split())
            if summary:
                lines.append(f"      {summary[:300]}")
    return "\n".join(lines)

"""The whole story in a real browser against the real server, as the issue tells it.

A new privacy officer signs in with a one-time password, reads the highest alert, reveals
the employee with a justification, starts an investigation and proposes to close it as
confirmed misuse; a second privacy officer confirms. An analyst sees only the pseudonym and
is refused when posting the reveal form by hand. The audit trail holds every step, and
``schildwacht audit verify`` notices when one entry is changed in the database.
"""

from __future__ import annotations

import json
import re
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Accounts, NewContext
from tests.e2e.support import (
    PSEUDONYM,
    Account,
    choose_password,
    csrf_token,
    run_cli,
    screenshot,
    sign_in_first_time,
    submit_sign_in,
)

pytestmark = pytest.mark.browser

JUSTIFICATION = "Onderzoek naar onverklaarde raadplegingen: ik moet weten wie dit deed."
CLOSE_NOTE = "Medewerker bevestigt in gesprek dat zij het dossier uit nieuwsgierigheid opende."
CONFIRM_NOTE = "Eens: het gesprek en de toegangen zijn eenduidig."
ALERT_URL = re.compile(r"/meldingen/(A-[0-9a-f]+)$")


@dataclass
class Story:
    """What the steps learn, for the steps after them."""

    alert_id: str = ""
    pseudonym: str = ""
    name: str = ""
    decision_id: int = 0
    reveal_seq: int = 0
    pages: dict[str, Page] = field(default_factory=dict)


def fact(page: Page, label: str) -> str:
    """The value next to ``label`` in the facts at the top of the alert page."""
    cell = page.locator("dl.sw-facts").first.locator(f"div:has(> dt:text-is('{label}')) > dd")
    return cell.inner_text().strip()


def heading(page: Page) -> str:
    return page.get_by_role("heading", level=1).inner_text().strip()


def test_triage_story_in_the_browser(
    new_context: NewContext, accounts: Accounts, e2e_store: Path
) -> None:
    story = Story()
    first_officer_reveals_and_proposes(new_context, accounts.po1, story)
    second_officer_confirms(new_context, accounts.po2, story)
    analyst_sees_pseudonyms_only(new_context, accounts.analyst, story)
    auditor = auditor_reads_the_trail(new_context, accounts, story)
    audit_verify_notices_a_changed_entry(e2e_store, auditor, story)


def first_officer_reveals_and_proposes(new_context: NewContext, po1: Account, story: Story) -> None:
    page = new_context().new_page()
    story.pages["po1"] = page

    # A one-time password leads to the password form, and nowhere else, until it is changed.
    submit_sign_in(page, po1)
    page.wait_for_url("**/account/wachtwoord")
    expect(page.get_by_text("U bent ingelogd met een eenmalig wachtwoord")).to_be_visible()
    page.goto("/meldingen")
    assert page.url.endswith("/account/wachtwoord"), "the queue opened before a new password"
    choose_password(page, po1)
    assert page.url.endswith("/meldingen"), page.url
    expect(page.get_by_role("heading", level=1)).to_have_text("Meldingen")

    # The queue shows the highest score first; open that alert.
    rows = page.locator("table.sw-queue tbody tr")
    assert rows.count() > 0, "the queue is empty"
    scores = [int(s) for s in page.locator("table.sw-queue td.sw-score").all_inner_texts()]
    assert scores[0] == max(scores), f"the queue is not ordered by score: {scores}"
    link = rows.first.get_by_role("link")
    story.pseudonym = link.inner_text().strip()
    assert PSEUDONYM.fullmatch(story.pseudonym), f"not a pseudonym: {story.pseudonym!r}"
    link.click()
    page.wait_for_url(ALERT_URL)
    found = ALERT_URL.search(page.url)
    assert found
    story.alert_id = found.group(1)

    # The reasons, in plain Dutch; the employee is only a pseudonym.
    reasons = page.locator("ul.sw-reasons > li")
    expect(reasons.first).to_be_visible()
    texts = reasons.all_inner_texts()
    assert texts and all(t.strip() for t in texts), f"missing reasons: {texts}"
    assert heading(page) == f"Melding over {story.pseudonym}"
    assert fact(page, "Status") == "nieuw"

    # Reveal the employee with a justification: the name replaces the pseudonym.
    page.get_by_label("Onderbouwing (verplicht, minstens 20 tekens)").fill(JUSTIFICATION)
    page.get_by_role("button", name="Medewerker herleiden").click()
    person = page.locator("#medewerker div:has(> dt:text-is('Naam')) > dd")
    expect(person).to_be_visible()
    story.name = person.inner_text().strip()
    assert story.name and not PSEUDONYM.search(story.name), story.name
    assert heading(page) == f"Melding over {story.name}"
    assert story.pseudonym not in heading(page)
    expect(page.locator("#medewerker")).to_contain_text(JUSTIFICATION)

    # Start the investigation, then propose to close it as confirmed misuse.
    page.get_by_role("button", name="Onderzoek starten").click()
    expect(page.get_by_role("button", name="Onderzoek starten")).to_have_count(0)
    assert fact(page, "Status") == "in onderzoek"
    page.get_by_label("Afsluiten als").select_option("misbruik_bevestigd")
    page.get_by_label("Toelichting (verplicht)").fill(CLOSE_NOTE)
    page.get_by_role("button", name="Afsluiten", exact=True).click()

    # Four eyes: the page says it waits for a colleague; the proposer cannot confirm.
    workflow = page.locator("#werkstroom")
    expect(workflow).to_contain_text("een tweede privacy officer moet dit bevestigen")
    expect(workflow).to_contain_text("U heeft dit besluit voorgesteld")
    expect(page.get_by_role("button", name="Besluit bevestigen")).to_have_count(0)
    assert fact(page, "Status") == "in onderzoek"
    screenshot(page, "melding-wacht-op-tweede-oordeel")


def second_officer_confirms(new_context: NewContext, po2: Account, story: Story) -> None:
    page = new_context().new_page()
    sign_in_first_time(page, po2)
    assert page.url.endswith("/meldingen"), page.url

    # The queue points to the decision that waits for a second privacy officer.
    waiting = page.get_by_role("status").filter(has_text="wachten op bevestiging")
    expect(waiting.locator(f"a[href='/meldingen/{story.alert_id}#werkstroom']")).to_have_count(1)
    page.goto(f"/meldingen/{story.alert_id}")
    # A reveal is personal: this officer has not justified one and sees the pseudonym.
    assert heading(page) == f"Melding over {story.pseudonym}"
    assert story.name not in page.content()

    confirm = page.get_by_role("button", name="Besluit bevestigen")
    form_action = confirm.locator("xpath=ancestor::form").get_attribute("action") or ""
    decision = re.search(r"/besluit/(\d+)/bevestigen$", form_action)
    assert decision, f"unexpected confirm form: {form_action!r}"
    story.decision_id = int(decision.group(1))

    # The proposer cannot confirm their own decision by posting the form by hand either.
    po1 = story.pages["po1"]
    own = po1.request.post(form_action, form={"csrf_token": csrf_token(po1)}, max_redirects=0)
    assert own.status == 403, f"the proposer confirmed their own decision: {own.status}"

    page.get_by_label("Toelichting bij uw oordeel").fill(CONFIRM_NOTE)
    confirm.click()
    expect(page.locator("dl.sw-facts").first).to_contain_text("afgesloten")
    assert fact(page, "Status") == "afgesloten"
    decisions = page.locator("#werkstroom li").filter(has_text="bevestigd")
    expect(decisions.first).to_contain_text(CONFIRM_NOTE)
    screenshot(page, "melding-afgesloten")


def analyst_sees_pseudonyms_only(new_context: NewContext, analyst: Account, story: Story) -> None:
    page = new_context().new_page()
    sign_in_first_time(page, analyst)
    assert page.url.endswith("/meldingen"), page.url
    expect(page.locator("table.sw-queue")).to_contain_text(story.pseudonym)

    page.goto(f"/meldingen/{story.alert_id}")
    assert heading(page) == f"Melding over {story.pseudonym}"
    expect(page.locator("form[action$='/herleiden']")).to_have_count(0)
    expect(page.get_by_label("Onderbouwing (verplicht, minstens 20 tekens)")).to_have_count(0)
    expect(page.locator("#medewerker")).to_contain_text("Alleen een privacy officer")
    assert story.name not in page.content()

    # Posting the reveal form by hand, with a valid CSRF token, is refused.
    refused = page.request.post(
        f"/meldingen/{story.alert_id}/herleiden",
        form={"csrf_token": csrf_token(page), "justification": JUSTIFICATION},
        max_redirects=0,
    )
    body = refused.text()
    assert refused.status == 403, f"reveal by an analyst answered {refused.status}"
    assert "Geen toegang" in body and "verlopen" not in body, "refused for the wrong reason"
    assert story.name not in body


Row = dict[str, str]


def audit_rows(page: Page, **filters: str) -> list[Row]:
    """The rows /audit shows for ``filters`` (actie=, actor=), keyed by column heading."""
    page.goto(f"/audit?{urlencode(filters)}")
    table = page.locator("table.sw-audit")
    headings = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    rows: list[Row] = []
    for row in table.locator("tbody tr").all():
        cells = [c.strip() for c in row.locator("td").all_inner_texts()]
        if len(cells) == len(headings):
            rows.append(dict(zip(headings, cells, strict=True)))
    return rows


def matching(rows: list[Row], **where: str) -> list[Row]:
    return [r for r in rows if all(r.get(k) == v for k, v in where.items())]


def auditor_reads_the_trail(new_context: NewContext, accounts: Accounts, story: Story) -> Page:
    page = new_context().new_page()
    sign_in_first_time(page, accounts.auditor)
    # An auditor's home is the audit trail; the alerts are not open to them.
    assert page.url.endswith("/audit"), page.url
    expect(page.get_by_role("status")).to_contain_text("De audittrail is intact")
    refused = page.request.get("/meldingen", max_redirects=0)
    assert refused.status == 403, f"an auditor opened the queue: {refused.status}"

    target = f"alert:{story.alert_id}"
    signed_in = {r["Door"] for r in audit_rows(page, actie="login")}
    for account in (accounts.po1, accounts.po2, accounts.analyst, accounts.auditor):
        assert account.username in signed_in, f"no sign-in of {account.username}: {signed_in}"

    po1 = audit_rows(page, actor=accounts.po1.username)
    assert matching(po1, Handeling="view_alert", Betreft=target), po1
    reveals = matching(po1, Handeling="reveal", Betreft=target)
    assert len(reveals) == 1, po1
    assert JUSTIFICATION in reveals[0]["Details"], reveals
    story.reveal_seq = int(reveals[0]["Nr."])
    proposed = matching(po1, Handeling="decision_proposed", Betreft=target)
    assert len(proposed) == 1, po1
    assert "resolution: misbruik_bevestigd" in proposed[0]["Details"], proposed
    assert not matching(po1, Handeling="decision_confirmed"), po1

    po2 = audit_rows(page, actor=accounts.po2.username)
    confirmed = matching(po2, Handeling="decision_confirmed", Betreft=target)
    assert len(confirmed) == 1, po2
    assert f"decision: {story.decision_id}" in confirmed[0]["Details"].split("; "), confirmed

    analyst = audit_rows(page, actor=accounts.analyst.username)
    assert matching(analyst, Handeling="view_alert", Betreft=target), analyst
    assert not matching(analyst, Handeling="reveal"), f"a refused reveal was recorded: {analyst}"

    audit_rows(page, actor=accounts.po1.username, actie="reveal")
    screenshot(page, "audit-herleiding")
    return page


def _verify(store: Path) -> tuple[int, str]:
    done = run_cli(store, "audit", "verify", check=False)
    return done.returncode, " ".join((done.stdout + done.stderr).split())


def audit_verify_notices_a_changed_entry(store: Path, auditor: Page, story: Story) -> None:
    code, output = _verify(store)
    assert code == 0, f"audit verify on an untouched trail: {code} {output}"
    assert "Audit trail intact" in output, output

    # Someone with database access softens the justification of the reveal.
    seq = story.reveal_seq
    forged = json.dumps({"justification": "Routinecontrole, niets bijzonders aan de hand."})
    database = store / "schildwacht.db"
    with closing(sqlite3.connect(database)) as db, db:
        (original,) = db.execute("SELECT details FROM audit_log WHERE seq = ?", (seq,)).fetchone()
        db.execute("UPDATE audit_log SET details = ? WHERE seq = ?", (forged, seq))
    try:
        code, output = _verify(store)
        assert code == 1, f"audit verify missed a changed entry: {code} {output}"
        assert re.search(rf"\bentry {seq} was changed\b", output), output
        # The auditor's page checks the chain on every view, and says so.
        auditor.goto("/audit")
        expect(auditor.get_by_role("alert")).to_contain_text("GEBROKEN")
        expect(auditor.get_by_role("alert")).to_contain_text(re.compile(rf"\b{seq}\b"))
    finally:  # put it back, so the store stays sound for whatever runs after
        with closing(sqlite3.connect(database)) as db, db:
            db.execute("UPDATE audit_log SET details = ? WHERE seq = ?", (original, seq))

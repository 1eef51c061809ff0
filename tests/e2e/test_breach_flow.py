"""Breach handling in a real browser: the guided assessment and the 72-hour clock.

A privacy officer opens two dossiers by hand as the Rijksrecherche's signal came in, one 70
hours ago and one 80 hours ago. The dashboard warns for both (4 hours left; deadline
passed); the first is assessed step by step (is it a breach, the ENISA score with its
defaults, which change with the motive the investigation found); the late one can only be
recorded as notified with a reason for the delay. The FG confirms a colleague's decision not
to notify a third. The pages pass axe-core's WCAG 2.1 A/AA check.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Accounts, NewContext
from tests.e2e.support import (
    check_accessibility,
    describe,
    screenshot,
    sign_in_first_time,
)

pytestmark = pytest.mark.browser

WHY = "veroorzaakt een datalek. Ook als het account de technische rechten had."


def _ago(hours: float) -> str:
    """A datetime-local value in the browser's (and the server's) Dutch time."""
    from schildwacht.app.breaches.deadline import AMSTERDAM

    return (datetime.now(AMSTERDAM) - timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")


def _open(page: Page, title: str, hours_ago: float) -> str:
    page.goto("/datalekken")
    page.get_by_label("Herkomst van het signaal").select_option("rijksrecherche")
    page.get_by_label("Titel").fill(title)
    page.get_by_label("Moment van kennisname (Nederlandse tijd)").fill(_ago(hours_ago))
    page.get_by_label("Waarop berust dit moment?").fill("Proces-verbaal van de Rijksrecherche.")
    page.get_by_role("button", name="Datalek openen").click()
    page.wait_for_url("**/datalekken/*")
    return page.url


def _axe(page: Page) -> None:
    violations = check_accessibility(page)
    assert not violations, describe(violations)


def test_assessment_and_deadline_warnings(new_context: NewContext, accounts: Accounts) -> None:
    page = new_context(bypass_csp=True).new_page()  # axe-core is injected as a script
    sign_in_first_time(page, accounts.breach_officer)
    soon = _open(page, "Adressen doorgespeeld", 70)
    late = _open(page, "Klacht over inzage", 80)

    page.goto("/datalekken")
    warning = page.get_by_role("alert")
    expect(warning).to_contain_text("2 datalekken vragen nu aandacht")
    expect(warning).to_contain_text("Adressen doorgespeeld")
    expect(page.locator("tr:has-text('Adressen doorgespeeld') .sw-klok")).to_have_text(
        "nog 4 uur of minder"
    )
    expect(page.locator("tr:has-text('Klacht over inzage') .sw-klok")).to_have_text(
        "termijn verstreken"
    )
    screenshot(page, "datalekken")

    page.goto(soon)
    expect(page.get_by_role("status").first).to_contain_text("nog 4 uur of minder")
    expect(page.locator("#stap-1")).to_contain_text(WHY)
    page.locator("#is-breach-reason").fill("Adressen opgezocht zonder zaak en doorgegeven.")
    page.get_by_role("button", name="Vaststellen").click()
    expect(page.locator("#stap-1")).to_contain_text("Vastgesteld: ja")

    # the investigation found a profit motive: the defaults follow (malicious intent +0.5)
    expect(page.locator("input[name=malicious][value=nee]")).to_be_checked()
    page.get_by_label("Motief volgens het onderzoek").select_option("profit")
    page.get_by_label("gegevens doorgegeven aan anderen").check()
    page.get_by_role("button", name="Standaardwaarden bijwerken").click()
    expect(page.locator("input[name=malicious][value=ja]")).to_be_checked()
    expect(page.get_by_label("CB: verlies van vertrouwelijkheid")).to_have_value("unknown")
    page.get_by_label("Aangepaste DPC (1–4, leeg = basis)").fill("4")
    page.get_by_label("Reden voor de aangepaste DPC (verplicht bij aanpassen)").fill(
        "Adressen verkocht aan criminelen: kritiek voor de persoonlijke veiligheid."
    )
    page.get_by_label("Toelichting op de beoordeling").fill("Doorgespeeld voor geld.")
    page.get_by_role("button", name="Ernst vastleggen").click()
    expect(page.locator("#ernst caption")).to_have_text("Vastgelegde ernst: 5.0 (zeer hoog)")
    _axe(page)
    screenshot(page, "datalek-beoordeling")

    page.goto(late)
    delay = page.get_by_label("Reden van de vertraging", exact=False)
    expect(delay).to_have_attribute("required", "")  # past the deadline the reason is required
    delay.fill("Het proces-verbaal kwam via de afdeling post pas na drie dagen binnen.")
    page.get_by_role("button", name="Melding vastleggen").click()
    expect(page.get_by_role("status").first).to_contain_text("na de termijn")
    expect(page.locator("#meldingen-ap")).to_contain_text("eerste melding (na de termijn)")


def test_the_fg_confirms_not_notifying(new_context: NewContext, accounts: Accounts) -> None:
    officer = new_context().new_page()
    sign_in_first_time(officer, accounts.breach_decider)
    url = _open(officer, "Verkeerd dossier geopend", 1)
    officer.get_by_label("Besluit over").select_option("notify_ap")
    officer.locator("#besluit-formulier input[name=value][value=nee]").check()
    officer.locator("#decision-reason").fill("Eén raadpleging, direct gemeld: geen risico.")
    officer.get_by_role("button", name="Besluit vastleggen").click()
    expect(officer.locator("#stap-4")).to_contain_text("wacht op bevestiging door de FG")
    expect(officer.get_by_role("button", name="Bevestigen als FG")).to_have_count(0)

    fg = new_context(bypass_csp=True).new_page()
    sign_in_first_time(fg, accounts.fg)
    fg.goto(url)
    expect(fg.get_by_role("button", name="Besluit vastleggen")).to_have_count(0)  # reads only
    fg.get_by_label("Toelichting van de FG").fill("Akkoord: geen risico voor de betrokkene.")
    fg.get_by_role("button", name="Bevestigen als FG").click()
    expect(fg.get_by_role("status").first).to_contain_text("Besloten niet te melden")
    _axe(fg)

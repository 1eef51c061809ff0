"""The breach pages in English: the dashboard, the guided assessment and the clock speak the
viewer's language; the guidance and the clock's words come from the English catalog."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from schildwacht.app.base import utc_now
from schildwacht.app.breaches import guidance
from schildwacht.app.breaches.deadline import WARNING_LABELS_NL
from schildwacht.app.breaches.severity import (
    Availability,
    Confidentiality,
    Context,
    Identification,
    Integrity,
    dutch,
)
from schildwacht.web.i18n import translations
from schildwacht.web.routes.breaches import CLOCK_LABELS, SEVERITY_LABELS, duration_words
from tests.web.test_breach_pages import _local, _post

Clients = Callable[..., TestClient]
ENGLISH = translations("en")
DUTCH_HEADINGS = (
    "Is dit een datalek?", "Wie zijn getroffen?", "Hoe groot is het risico?", "4. Besluiten",
    "Melding aan de Autoriteit Persoonsgegevens", "6. Betrokkenen informeren", "7. Maatregelen",
    "8. Afsluiten", "Tijdlijn",
)  # fmt: skip


@pytest.fixture
def officer(app_client: Clients) -> TestClient:
    """A privacy officer who chose English."""
    client = app_client("po1", "privacy_officer")
    client.get("/taal/en?terug=/datalekken")
    return client


def test_the_dashboard_and_a_dossier_speak_english(officer: TestClient) -> None:
    dashboard = officer.get("/datalekken").text
    assert '<html lang="en">' in dashboard
    assert "Open a breach by hand" in dashboard and "Datalek met de hand openen" not in dashboard
    assert "tip or complaint from a resident" in dashboard  # the origins from guidance.py
    assert "Moment of awareness (Dutch time)" in dashboard

    opened = _post(officer, "/datalekken", dashboard, origin="tip_citizen",
                   title="Complaint from a resident", note="Letter received.",
                   aware_at=_local(utc_now() - timedelta(hours=30)))  # fmt: skip
    assert opened.status_code == 303
    page = officer.get(opened.headers["location"]).text
    assert "Is this a personal data breach?" in page and "Who is affected?" in page
    assert ENGLISH.gettext(guidance.WHY_A_BREACH[0]) in page
    assert guidance.WHY_A_BREACH[0] not in page
    assert "Type of breach" in page and "Soort lek" not in page  # the EDPB factors
    assert 'data-klok="within_48h"' in page and "48 hours or less left" in page  # the clock
    assert "hours and" in page and "left: notify the AP by" in page
    assert "nog 48 uur of minder" not in page and "meld uiterlijk" not in page
    for heading in DUTCH_HEADINGS:
        assert heading not in page, heading

    dashboard = officer.get("/datalekken").text
    assert "1 breach needs attention now:" in dashboard
    assert 'data-klok="within_48h"' in dashboard and "48 hours or less left" in dashboard
    assert "Complaint from a resident" in dashboard and "nog 48 uur of minder" not in dashboard


def test_a_stopped_clock_in_english(officer: TestClient) -> None:
    dashboard = officer.get("/datalekken").text
    url = _post(officer, "/datalekken", dashboard, origin="manager", title="Looked up",
                note="Manager reported it.",
                aware_at=_local(utc_now() - timedelta(hours=2))).headers["location"]  # fmt: skip
    page = officer.get(url).text
    assert _post(officer, f"{url}/gemeld", page, sent_at=_local(utc_now())).status_code == 303
    notified = officer.get(url).text
    assert 'data-klok="gestopt"' in notified and "clock stopped" in notified
    assert "Notified to the AP on" in notified and "within the deadline" in notified


def test_the_clock_in_words_in_both_languages() -> None:
    assert duration_words(timedelta(hours=31, minutes=20)) == "31 uur en 20 minuten"
    assert duration_words(timedelta(hours=-2)) == "2 uur"
    assert duration_words(timedelta(minutes=5), "en") == "5 minutes"
    assert duration_words(timedelta(hours=1, minutes=1), "en") == "1 hour and 1 minute"
    assert duration_words(timedelta(hours=31, minutes=20), "en") == "31 hours and 20 minutes"


def test_every_python_text_of_the_pages_is_marked_and_translated() -> None:
    """The texts outside the templates are marked where ``make messages`` finds them: the
    guidance in guidance.py, the clock's and the severity codes' labels in routes/breaches.py.
    """
    assert set(WARNING_LABELS_NL.values()) <= set(CLOCK_LABELS)
    enums = (Context, Identification, Confidentiality, Integrity, Availability)
    assert {dutch(member) for enum in enums for member in enum} <= set(SEVERITY_LABELS)
    texts = [
        *guidance.WHY_A_BREACH, *(text for pair in guidance.EDPB_FACTORS for text in pair),
        *guidance.BAND_MEANING.values(), *guidance.MOTIVES_NL.values(),
        *guidance.ORIGINS_NL.values(), *guidance.MEASURE_KINDS_NL.values(),
        *guidance.EXCEPTIONS_NL.values(), *CLOCK_LABELS, *SEVERITY_LABELS,
    ]  # fmt: skip
    untranslated = [text for text in texts if ENGLISH.gettext(text) == text]
    assert not untranslated, f"not in the English catalog: {untranslated}"

"""The AP notification draft: every question of the form, filled from realistic dossiers.

The four cases of issue 5 §6 go through the real services (SQLite through the factories):
a curiosity look-up of one celebrity; addresses passed to criminals; family snooping with
health data; a trusted colleague's look-up, reported at once and not notified.
"""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from typing import Any

import pypdf
import pytest
from sqlalchemy.orm import Session

from schildwacht.app.breaches import ap_form
from schildwacht.app.breaches.affected import severity_defaults
from schildwacht.app.breaches.documents import ap_draft_pdf
from schildwacht.app.breaches.models import Breach
from schildwacht.app.breaches.notification import (
    PARTICULARS,
    ApDraft,
    alert_facts,
    build_draft,
    parse_particulars,
)
from schildwacht.app.breaches.service import (
    add_measure,
    confirm_decision,
    decide,
    get_breach,
    mark_notified,
    open_by_hand,
    open_from_dossier,
    record_particulars,
    record_severity,
)
from schildwacht.app.breaches.severity import assess
from schildwacht.app.people.pseudonyms import Pseudonymiser
from schildwacht.config import OrganisationSettings
from schildwacht.errors import UserError
from schildwacht.web.rendering import environment
from tests.app.breach_factories import CLOSED_AT, Team, dossier_with, make_team, reason

AWARE = CLOSED_AT + timedelta(hours=2)
NOW = AWARE + timedelta(hours=20)
ORG = OrganisationSettings(
    name="Gemeente Voorbeeld", address="Markt 1, 1234 AB Voorbeeld",
    fg_registration_number="FG001234", kvk_number="12345678", fg_name="Fenna de Vries",
    fg_email="fg@voorbeeld.nl", fg_phone="14 0123",
)  # fmt: skip
EMPLOYEE = "e00001"  # the employee of every alert the factories make
SUBJECTS = ("123456782", "111222333", "100000009")

SECTION_9 = {
    "1.1", "1.2", "1.3", "2.1.1", "2.2.1", "3.1.1a", "3.1.1b", "3.1.1c", "3.1.1d", "3.1.1e",
    "3.1.2", "3.2.1a", "3.2.1b", "3.2.1c", "3.2.1d", "3.2.2", "3.3", "4.1.1", "4.1.2", "—",
    "4.2", "4.3", "4.5", "5.1", "5.2", "5.3", "5.4", "6.1", "6.2", "6.3.1", "7.1", "7.2", "7.3",
    "8.1", "9.1", "9.2", "9.3", "10.1.1", "10.1.3", "10.1.7", "10.2",
}  # fmt: skip
"""Every number of BREACH.md §9's table (3.1.1 a-e and 3.2.1 split per answer)."""

REPORTER = {"reporter.function": "Privacy officer", "reporter.email": "po@voorbeeld.nl",
            "reporter.phone": "+31 6 1234 5678"}  # fmt: skip


def pdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def team(session: Session) -> Team:
    return make_team(session)


def _from_dossier(session: Session, team: Team, *reasons: Any, scenarios: tuple[str, ...],
                  subjects: tuple[str, ...] = SUBJECTS[:1]) -> Breach:  # fmt: skip
    dossier = dossier_with(session, team, *reasons, scenarios=scenarios, subjects=subjects)
    return open_from_dossier(
        session, dossier_id=dossier, user=team.po1, aware_at=AWARE,
        note="Leidinggevende bevestigde: geen werkreden.", now=AWARE,
    )  # fmt: skip


def _assess(session: Session, team: Team, breach: Breach, **inputs: Any) -> None:
    defaults = severity_defaults(breach.affected, **inputs)
    record_severity(session, breach_id=breach.breach_id, user=team.po1,
                    assessment=defaults.assessment, reason="Standaard uit het bewijs.",
                    now=AWARE + timedelta(hours=1))  # fmt: skip


def _decide(session: Session, team: Team, breach: Breach, kind: str, value: bool,
            **extra: Any) -> None:  # fmt: skip
    decide(session, breach_id=breach.breach_id, user=team.po1, kind=kind, value=value,
           reason=f"Besluit {kind}.", now=AWARE + timedelta(hours=2), **extra)  # fmt: skip


def _measure(session: Session, team: Team, breach: Breach, kind: str, text: str) -> None:
    add_measure(session, breach_id=breach.breach_id, user=team.po1, kind=kind, text=text,
                taken_on=AWARE.date(), now=AWARE + timedelta(hours=3))  # fmt: skip


def _particulars(session: Session, team: Team, breach: Breach, form: dict[str, Any]) -> Breach:
    return record_particulars(session, breach_id=breach.breach_id, user=team.po1,
                              particulars=parse_particulars(form), now=AWARE)  # fmt: skip


def _draft(session: Session, team: Team, breach: Breach, now: Any = NOW, **kw: Any) -> ApDraft:
    fresh = get_breach(session, breach_id=breach.breach_id, user=team.po1)
    return build_draft(fresh, organisation=kw.pop("organisation", ORG), reporter_name="Piet Jansen",
                       phase=kw.pop("phase", "initial"), now=now,
                       alerts=alert_facts(session, fresh))  # fmt: skip


def _values(draft: ApDraft, field_id: str) -> tuple[str, ...]:
    return draft.field(field_id).value


def _celebrity(session: Session, team: Team) -> Breach:
    """Case 1: one look at a celebrity's BRP record out of curiosity."""
    breach = _from_dossier(
        session, team,
        reason("watchlist", "watchlist:public_figure", category="public_figure",
               data_categories=["basis", "adres"]),
        scenarios=("watchlist",),
    )  # fmt: skip
    _assess(session, team, breach, motive="curiosity")
    _decide(session, team, breach, "inform_subjects", True)
    _measure(session, team, breach, "end", "Toegang van de medewerker tot de BRP ingetrokken.")
    return _particulars(session, team, breach, {**REPORTER, "consequences.people": "reputation"})


# --- The form itself ------------------------------------------------------------------------


def test_every_question_of_the_form_is_in_the_draft_with_its_number(
    session: Session, team: Team
) -> None:
    draft = _draft(session, team, _celebrity(session, team))
    numbers = [f.number for f in draft.fields]
    assert set(numbers) == SECTION_9 and len(numbers) == len(SECTION_9)
    assert [s.number for s in draft.sections] == [str(n) for n in range(1, 11)]
    assert [s.title for s in draft.sections][:3] == [
        "Introductie", "Internationale aspecten", "De verwerkingsverantwoordelijke",
    ]  # fmt: skip
    ids = [f.id for f in draft.fields]
    assert len(set(ids)) == len(ids) and all("." in i for i in ids)  # semantic, unique
    data = draft.as_json()
    assert json.loads(json.dumps(data)) == data  # plain JSON
    assert set(data["fields"]) == set(ids)
    first = data["sections"][3]["fields"][0]
    assert set(first) == {"number", "id", "label", "value", "source", "missing", "note"}


def test_the_option_lists_are_the_forms() -> None:
    assert len(ap_form.DATA_KINDS) == 20  # BREACH.md §9: the 6.1 list
    assert ap_form.label(ap_form.DATA_KINDS, "bsn") == "Burgerservicenummer (BSN)"
    assert len(ap_form.SPECIAL_CATEGORIES) == 8
    assert [label for _, label in ap_form.SEVERITY] == [
        "Verwaarloosbaar", "Beperkt", "Aanzienlijk", "Zeer groot",
    ]  # fmt: skip


# --- The four cases ---------------------------------------------------------------------------


def test_curiosity_look_up_of_a_celebrity(session: Session, team: Team) -> None:
    draft = _draft(session, team, _celebrity(session, team))
    assert _values(draft, "notification.type") == ("Ik wil één inbreuk melden (reguliere melding)",)
    assert _values(draft, "controller.organisation") == ("Gemeente Voorbeeld",)
    assert draft.field("controller.organisation").sources == ("settings",)
    assert _values(draft, "reporter.name") == ("Piet Jansen",)
    assert _values(draft, "timeline.start") == ("2 maart 2026, 10:15 uur",)  # alert first_seen
    assert _values(draft, "timeline.end") == ("5 maart 2026, 10:15 uur",)
    assert _values(draft, "timeline.discovered_at") == ("2 maart 2026, 13:15 uur",)
    assert _values(draft, "timeline.delay_reason")[0].startswith("Niet van toepassing")
    assert _values(draft, "breach.nature") == (
        "Persoonsgegevens (mogelijk) ingezien door onbevoegden",
    )
    assert "onrechtmatige raadpleging" in _values(draft, "breach.kind")[0]
    assert set(_values(draft, "data.kinds")) == {
        "Naam", "Geboortedatum en/of leeftijd", "Adres en woonplaats",
    }  # fmt: skip
    assert _values(draft, "data.special_categories") == ("Geen bijzondere persoonsgegevens bekend",)
    assert _values(draft, "data.records") == ("4",)
    assert "bekende Nederlander" in _values(draft, "people.description")[0]
    assert _values(draft, "people.count") == ("1",)
    assert _values(draft, "prior.unintelligible") == ("Nee",)
    assert _values(draft, "consequences.severity")[0].startswith("Beperkt (ENISA-score 2,25")
    assert _values(draft, "consequences.people") == ("Reputatieschade",)
    assert _values(draft, "follow_up.informed") == ("Nog niet, maar dat gaan we doen",)
    assert _values(draft, "follow_up.informed_how") == ("Per brief",)
    assert (
        "Toegang van de medewerker tot de BRP ingetrokken."
        in _values(draft, "follow_up.measures")[0]
    )
    assert _values(draft, "timeline.ongoing")[0].startswith("Nee: Toegang")
    # the settings lack the contact person: optional, so not missing; all else is answered
    assert [f.id for f in draft.missing] == []


def test_addresses_passed_to_criminals_postponed_for_the_investigation(
    session: Session, team: Team
) -> None:
    breach = _from_dossier(
        session, team, reason("address_harvest", "harvest:addresses", data_categories=["adres"]),
        scenarios=("address_harvest",), subjects=SUBJECTS,
    )  # fmt: skip
    _assess(session, team, breach, motive="profit", passed_on=True)
    _decide(session, team, breach, "postpone_art41", True, review_on=date(2026, 4, 1))
    breach = _particulars(session, team, breach, {
        **REPORTER, "controller.other_organisations": "Politie en Openbaar Ministerie",
        "consequences.people": ["identity_fraud", "financial_loss"],
        "breach.authorisations": "yes",
    })  # fmt: skip
    draft = _draft(session, team, breach)
    assert _values(draft, "consequences.severity")[0].startswith("Zeer groot (ENISA-score 5,0")
    assert "De gegevens kunnen op een onbehoorlijke of onrechtmatige manier worden gebruikt" in (
        _values(draft, "consequences.data")
    )
    assert _values(draft, "people.count") == ("3",)
    assert "artikel 41 UAVG" in _values(draft, "follow_up.informed")[0]
    assert "1 april 2026" in _values(draft, "follow_up.informed")[0]
    assert _values(draft, "follow_up.informed_count") == ("0",)
    assert _values(draft, "controller.other_organisations") == ("Politie en Openbaar Ministerie",)
    assert draft.field("controller.other_organisations").sources == ("officer",)
    assert "Autorisatie(s) van medewerker(s) verkeerd ingesteld." in _values(draft, "breach.kind")
    assert [f.number for f in draft.missing] == ["10.2"]  # no measure recorded yet


def test_family_snooping_with_health_data(session: Session, team: Team) -> None:
    breach = _from_dossier(
        session, team,
        reason("family", "relation:ex_partner", data_categories=["basis", "gezondheid"]),
        reason("family", "minor"),
        scenarios=("family",),
    )  # fmt: skip
    _assess(session, team, breach, motive="harm")
    _decide(session, team, breach, "inform_subjects", True)
    draft = _draft(session, team, breach, now=AWARE + timedelta(hours=80))  # after 72 hours
    assert _values(draft, "data.special_categories") == ("Gegevens over iemands gezondheid",)
    assert "Minderjarigen" in _values(draft, "people.groups")
    assert _values(draft, "consequences.severity")[0].startswith("Zeer groot")
    missing = {f.number for f in draft.missing}
    assert {"4.5", "3.2.1b", "3.2.1c", "3.2.1d", "9.2", "10.2"} <= missing
    assert "72 uur liep af" in draft.field("timeline.delay_reason").note
    later = _particulars(session, team, breach, {**REPORTER, "timeline.delay_reason":
                         "Het onderzoek naar de medewerker liep over het weekend."})  # fmt: skip
    again = _draft(session, team, later, now=AWARE + timedelta(hours=80))
    assert "weekend" in _values(again, "timeline.delay_reason")[0]
    assert "4.5" not in {f.number for f in again.missing}
    assert again.as_json()["missing"] == [
        {"number": f.number, "id": f.id, "label": f.label} for f in again.missing
    ]


def test_a_trusted_colleagues_look_up_reported_at_once(session: Session, team: Team) -> None:
    breach = open_by_hand(
        session, origin="manager", title="Tikfout direct gemeld", user=team.po1,
        aware_at=AWARE, note="Collega meldde het zelf direct.", now=AWARE,
    )  # fmt: skip
    record_severity(session, breach_id=breach.breach_id, user=team.po1,
                    assessment=assess(context="simple", identification="maximum",
                                      confidentiality="known"),
                    reason="Eén record, direct gesloten.", now=AWARE)  # fmt: skip
    proposal = decide(session, breach_id=breach.breach_id, user=team.po1, kind="notify_ap",
                      value=False, reason="Geen risico.", now=AWARE)  # fmt: skip
    confirm_decision(session, breach_id=breach.breach_id, decision_id=proposal.decision_id,
                     user=team.fg, now=AWARE)  # fmt: skip
    _decide(session, team, breach, "inform_subjects", False)
    breach = _particulars(session, team, breach, {
        "timeline.start": "2026-03-02", "timeline.end": "2026-03-02",
        "timeline.how_discovered": "De collega meldde de vergissing zelf bij de leidinggevende.",
    })  # fmt: skip
    draft = _draft(session, team, breach, organisation=OrganisationSettings())
    assert _values(draft, "consequences.severity")[0].startswith("Verwaarloosbaar")
    assert _values(draft, "timeline.start") == ("2 maart 2026",)
    assert draft.field("timeline.start").sources == ("officer",)
    assert "via een leidinggevende" in _values(draft, "timeline.how_discovered")[0]
    assert _values(draft, "follow_up.informed")[0].startswith("Nee: Besluit inform_subjects.")
    missing = {f.id for f in draft.missing}
    assert {"people.count", "data.records", "data.kinds", "controller.organisation",
            "controller.fg_registration_number"} <= missing  # fmt: skip
    assert "controller.controllers" not in missing  # the settings' default
    assert "timeline.start" not in missing


def test_an_addition_refers_to_the_initial_notification(session: Session, team: Team) -> None:
    breach = _celebrity(session, team)
    sent = AWARE + timedelta(hours=10)
    first = _draft(session, team, breach, now=sent)
    mark_notified(session, breach_id=breach.breach_id, user=team.po1, notified_at=sent,
                  ap_reference="AP-2026-0042", content=first.as_json(), now=sent)  # fmt: skip
    draft = _draft(session, team, breach, phase="addition")
    assert "vervolgmelding" in _values(draft, "notification.type")[0]
    assert draft.ap_reference == "AP-2026-0042"
    assert _values(draft, "timeline.delay_reason")[0].startswith("Niet van toepassing")
    stored = get_breach(session, breach_id=breach.breach_id, user=team.po1).notices[0]
    assert stored.content == first.as_json()  # the draft as sent, kept whole
    with pytest.raises(UserError, match="fase"):
        _draft(session, team, breach, phase="later")


def test_no_employee_identity_and_no_bsn_in_the_draft(session: Session, team: Team) -> None:
    breach = _celebrity(session, team)
    assert breach.employee_id == EMPLOYEE
    draft = _draft(session, team, breach)
    text = json.dumps(draft.as_json(), ensure_ascii=False)
    pseudonym = Pseudonymiser(b"k" * 32)(EMPLOYEE)
    for secret in (EMPLOYEE, pseudonym, *SUBJECTS):
        assert secret not in text


# --- Particulars --------------------------------------------------------------------------------


def test_parse_particulars_accepts_a_good_form() -> None:
    parsed = parse_particulars({
        "csrf_token": "x", "notification.legal_regime": "avg",
        "notification.other_supervisors": ["igj", "afm"], "reporter.email": " po@voorbeeld.nl ",
        "reporter.phone": "+31 (0)30 123 4567", "timeline.start": "2026-03-01",
        "timeline.end": "2026-03-02", "follow_up.informed_count": "12",
        "international.several_countries": "yes", "international.countries": "België",
        "breach.description": "", "data.kinds": [],
    })  # fmt: skip
    assert parsed == {
        "notification.legal_regime": "avg",
        "notification.other_supervisors": ["afm", "igj"],  # the form's order
        "reporter.email": "po@voorbeeld.nl", "reporter.phone": "+31 (0)30 123 4567",
        "timeline.start": "2026-03-01", "timeline.end": "2026-03-02",
        "follow_up.informed_count": 12,
        "international.several_countries": "yes", "international.countries": "België",
    }  # fmt: skip
    assert {p.key for p in PARTICULARS} >= set(parsed)


@pytest.mark.parametrize(
    ("form", "named"),
    [
        ({"notification.legal_regime": "gdpr"}, "1.2"),
        ({"notification.other_supervisors": ["afm", "fbi"]}, "1.3"),
        ({"reporter.email": "geen adres"}, "3.2.1c"),
        ({"reporter.phone": "bel me"}, "3.2.1d"),
        ({"timeline.start": "1 maart"}, "4.1.1"),
        ({"timeline.start": "2026-03-05", "timeline.end": "2026-03-01"}, "4.1.2"),
        ({"international.several_countries": "yes"}, "international.countries"),
        ({"follow_up.informed_count": "-3"}, "10.1.3"),
        ({"breach.description": "x" * 4001}, "5.3"),
        ({"breach.authorisations": ["yes", "no"]}, "5.2"),
    ],
)
def test_parse_particulars_names_the_field_on_bad_input(form: dict[str, Any], named: str) -> None:
    with pytest.raises(UserError, match=named.replace(".", r"\.")):
        parse_particulars(form)


def test_the_form_fragment_offers_every_particular_with_its_current_value() -> None:
    env = environment("nl")
    current = {"notification.legal_regime": "wpg", "data.kinds": ["bsn"],
               "breach.description": "<b>tekst</b>"}  # fmt: skip
    html = env.get_template("breaches/_particulars_form.html").render(
        PARTICULARS=PARTICULARS, particulars=current
    )
    for p in PARTICULARS:
        assert f'name="{p.key}"' in html
    assert '<option value="wpg" selected>' in html
    assert 'name="data.kinds" value="bsn" checked' in html
    assert "&lt;b&gt;tekst&lt;/b&gt;" in html  # escaped
    assert "style=" not in html and "<script" not in html


# --- The printable draft ------------------------------------------------------------------------


def test_the_pdf_holds_the_numbers_the_answers_and_what_is_missing(
    session: Session, team: Team
) -> None:
    breach = _from_dossier(
        session, team,
        reason("family", "relation:ex_partner", data_categories=["basis", "gezondheid"]),
        scenarios=("family",),
    )  # fmt: skip
    _assess(session, team, breach, motive="harm")
    draft = _draft(session, team, breach)
    pdf = ap_draft_pdf(draft)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    for number in ("1.1", "3.1.1a", "4.1.1", "6.3.1", "9.3", "10.1.7", "10.2"):
        assert number in text
    for title in ("1. Introductie", "4. Tijdlijn", "10. Vervolgacties"):
        assert title in text
    assert "Gemeente Voorbeeld" in text and "Zeer groot" in text
    assert "Gegevens over iemands gezondheid" in text
    assert "nog invullen" in text
    assert "9.2 (Mogelijke) gevolgen voor de betrokkene(n)" in text  # the missing list
    pseudonym = Pseudonymiser(b"k" * 32)(EMPLOYEE)
    for secret in (EMPLOYEE, pseudonym, SUBJECTS[0]):
        assert secret not in text

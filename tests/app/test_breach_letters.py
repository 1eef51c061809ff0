"""Letters to the people affected: one per living person, plain Dutch, no staff identity.

The people come from the breach's alerts; names and addresses from a real store with a BRP
extract (``citizens``) ingested from CSV: an adult, a deceased person, a person with
*geheimhouding*, a child, and a BSN the extract does not hold.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pypdf
import pytest
from sqlalchemy.orm import Session

from schildwacht.app.breaches.affected import severity_defaults
from schildwacht.app.breaches.documents import letter_pdf, letter_values
from schildwacht.app.breaches.letters import LetterBatch, check_may_inform, letter_batch
from schildwacht.app.breaches.models import Breach
from schildwacht.app.breaches.service import (
    add_measure,
    decide,
    get_breach,
    open_from_dossier,
    record_severity,
)
from schildwacht.app.people.pseudonyms import Pseudonymiser
from schildwacht.config import OrganisationSettings
from schildwacht.contract import TABLES, bsn_is_valid
from schildwacht.errors import NotFound, UserError
from schildwacht.ingest.pipeline import ingest
from schildwacht.store.store import Store
from tests.app.breach_factories import CLOSED_AT, Team, dossier_with, make_team, reason
from tests.conftest import write_csv

AWARE = CLOSED_AT + timedelta(hours=2)
NOW = AWARE + timedelta(hours=30)
ADULT, DECEASED, SECRET, CHILD, UNKNOWN = (
    "123456782", "111222333", "100000009", "100000022", "100000034",
)  # fmt: skip
EMPLOYEE = "e00001"
ORG = OrganisationSettings(name="Gemeente Voorbeeld", fg_name="Fenna de Vries",
                           fg_email="fg@voorbeeld.nl", fg_phone="14 0123")  # fmt: skip
CITIZENS = [
    {"bsn": ADULT, "given_names": "Jan", "surname": "Jansen", "birth_date": "1970-05-01",
     "postcode": "1234AB", "house_number": "12"},
    {"bsn": DECEASED, "given_names": "Dirk", "surname": "Dood", "birth_date": "1930-01-01",
     "postcode": "1234AB", "house_number": "14", "deceased_on": "2025-12-01"},
    {"bsn": SECRET, "given_names": "Geertje", "surname_prefix": "van", "surname": "Heim",
     "birth_date": "1985-02-02", "postcode": "9999ZZ", "house_number": "7",
     "confidential": "true"},
    {"bsn": CHILD, "given_names": "Kim", "surname": "Klein", "birth_date": "2015-06-06",
     "postcode": "1234AC", "house_number": "3"},
]  # fmt: skip


def pdf_text(pdf: bytes) -> tuple[int, str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), " ".join(text.split())


@pytest.fixture
def brp(tmp_path: Path) -> Store:
    store = Store(tmp_path / "store")
    header = list(TABLES["citizens"].column_names)
    ingest(store, [write_csv(tmp_path / "in" / "citizens.csv", CITIZENS, header)])
    return store


@pytest.fixture
def team(session: Session) -> Team:
    return make_team(session)


def _breach(session: Session, team: Team, *, inform: bool | None = True) -> Breach:
    """Addresses passed on to others (very high), informing decided unless ``inform`` is None."""
    assert all(bsn_is_valid(b) for b in (ADULT, DECEASED, SECRET, CHILD, UNKNOWN))
    dossier = dossier_with(
        session, team, reason("address_harvest", "harvest", data_categories=["basis", "adres"]),
        scenarios=("address_harvest",), subjects=(ADULT, DECEASED, SECRET, CHILD, UNKNOWN),
    )  # fmt: skip
    breach = open_from_dossier(session, dossier_id=dossier, user=team.po1, aware_at=AWARE,
                               note="Rijksrecherche bevestigde.", now=AWARE)  # fmt: skip
    defaults = severity_defaults(breach.affected, motive="profit", passed_on=True)
    record_severity(session, breach_id=breach.breach_id, user=team.po1,
                    assessment=defaults.assessment, reason="Doorgegeven.", now=AWARE)  # fmt: skip
    add_measure(session, breach_id=breach.breach_id, user=team.po1, kind="end",
                text="De medewerker kan de gegevens niet meer inzien.", taken_on=AWARE.date(),
                now=AWARE)  # fmt: skip
    if inform is not None:
        decide(session, breach_id=breach.breach_id, user=team.po1, kind="inform_subjects",
               value=inform, reason="Hoog risico." if inform else "Uitzondering.",
               exception=None if inform else "b", now=AWARE)  # fmt: skip
    return get_breach(session, breach_id=breach.breach_id, user=team.po1)


def _batch(session: Session, brp: Store, breach: Breach) -> LetterBatch:
    return letter_batch(session, brp, breach, organisation=ORG, now=NOW)


def test_one_letter_per_living_person_the_deceased_and_unknown_counted(
    session: Session, team: Team, brp: Store
) -> None:
    batch = _batch(session, brp, _breach(session, team))
    assert sorted(r.bsn for r in batch.recipients) == sorted([ADULT, SECRET, CHILD])
    assert batch.deceased == 1 and batch.unknown == 1
    by_bsn = {r.bsn: r for r in batch.recipients}
    assert by_bsn[SECRET].confidential and not by_bsn[ADULT].confidential
    assert by_bsn[CHILD].minor and not by_bsn[ADULT].minor
    assert len({r.reference for r in batch.recipients}) == 3


def test_the_pdf_has_one_letter_per_page_and_what_a_letter_must_say(
    session: Session, team: Team, brp: Store
) -> None:
    batch = _batch(session, brp, _breach(session, team))
    pages, text = pdf_text(letter_pdf(batch))
    assert pages == 3 and text.count("Wat is er gebeurd?") == 3
    for heading in ("Wat betekent dit voor u?", "Wat doet de gemeente?", "Wat kunt u doen?"):
        assert text.count(heading) == 3
    assert "Jan Jansen" in text and "Geertje van Heim" in text
    assert "Aan de ouder(s) of verzorger(s) van Kim Klein" in text
    assert "Dirk Dood" not in text  # deceased: no letter
    assert "datalek" in text and "Een datalek betekent" in text  # the word explained
    assert "zonder reden" in text and "tussen 2 maart 2026 en 5 maart 2026" in text
    assert "uw naam en geboortedatum, uw adres" in text
    assert "De medewerker weet nu waar u woont." in text and "ernstig" in text
    assert "De medewerker kan de gegevens niet meer inzien." in text  # the measure
    assert "Fenna de Vries" in text and "fg@voorbeeld.nl" in text  # the FG from settings
    assert "inzageverzoek" in text and "Autoriteit Persoonsgegevens" in text
    assert "1234AB 12" in text  # postcode and house number: the contract has no street


def test_no_full_bsn_no_employee_and_no_address_for_geheimhouding(
    session: Session, team: Team, brp: Store
) -> None:
    breach = _breach(session, team)
    assert breach.employee_id == EMPLOYEE
    batch = _batch(session, brp, breach)
    _, text = pdf_text(letter_pdf(batch))
    pseudonym = Pseudonymiser(b"k" * 32)(EMPLOYEE)
    for secret in (ADULT, SECRET, CHILD, EMPLOYEE, pseudonym):
        assert secret not in text
    assert f"Uw BSN eindigt op: {ADULT[-3:]}" in text
    assert "9999ZZ" not in text  # geheimhouding: the address is not printed
    assert "beveiligde BRP-route" in text
    values = letter_values(batch)
    assert not any(ADULT in str(v) for v in values["letters"])  # the template never gets it


def test_a_single_letter(session: Session, team: Team, brp: Store) -> None:
    batch = _batch(session, brp, _breach(session, team))
    child = next(r for r in batch.recipients if r.minor)
    pages, text = pdf_text(letter_pdf(batch, reference=child.reference))
    assert pages == 1 and "Kim Klein" in text and "Jan Jansen" not in text
    assert child.reference in text
    with pytest.raises(NotFound):
        letter_pdf(batch, reference="DL999-001")


@pytest.mark.parametrize("inform", [None, False])
def test_refused_without_a_decision_to_inform(
    session: Session, team: Team, brp: Store, inform: bool | None
) -> None:
    breach = _breach(session, team, inform=inform)
    with pytest.raises(UserError, match="niet besloten"):
        _batch(session, brp, breach)


def test_refused_while_an_art41_postponement_is_in_force(
    session: Session, team: Team, brp: Store
) -> None:
    breach = _breach(session, team)
    decide(session, breach_id=breach.breach_id, user=team.po1, kind="postpone_art41", value=True,
           reason="Het OM vraagt uitstel voor het strafrechtelijk onderzoek.",
           review_on=date(2026, 4, 1), now=AWARE)  # fmt: skip
    postponed = get_breach(session, breach_id=breach.breach_id, user=team.po1)
    with pytest.raises(UserError, match="artikel 41 UAVG"):
        check_may_inform(postponed)
    with pytest.raises(UserError, match="1 april 2026"):
        _batch(session, brp, postponed)


def test_nobody_to_write_to_without_the_brp_extract(
    session: Session, team: Team, tmp_path: Path
) -> None:
    empty: Any = Store(tmp_path / "empty")
    batch = _batch(session, empty, _breach(session, team))
    assert batch.recipients == () and batch.unknown == 5
    with pytest.raises(UserError, match="niemand om te schrijven"):
        letter_pdf(batch)

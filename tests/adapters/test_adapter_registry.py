"""The adapter registry, format recognition, and the helpers every adapter shares."""

from __future__ import annotations

from pathlib import Path

import pytest

from schildwacht.ingest.adapters import ADAPTERS, load_json_values, sniff_format
from schildwacht.ingest.adapters._common import (
    Fields,
    action_from_names,
    bsn_text,
    default_system_name,
)
from schildwacht.ingest.adapters.base import AdapterContext, AdapterOutput

from .helpers import FIXTURES


def test_registry_names_every_adapter_with_its_interface() -> None:
    assert set(ADAPTERS) == {
        "vng-verwerkingenlogging",
        "logboek-dataverwerkingen",
        "zgw-zaken",
        "brp-personen",
    }
    for name, adapter in ADAPTERS.items():
        assert name == adapter.FORMAT
        assert adapter.ROLES and adapter.TABLES
        assert isinstance(adapter.convert({}, AdapterContext()), AdapterOutput)


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        ("vng/example.json", ("vng-verwerkingenlogging", "acties")),
        ("vng/quirks.jsonl", ("vng-verwerkingenlogging", "acties")),
        ("vng/page.json", ("vng-verwerkingenlogging", "acties")),
        ("vng/nijmegen_dump.json", ("vng-verwerkingenlogging", "acties")),
        ("ldv/example_spans.json", ("logboek-dataverwerkingen", "spans")),
        ("ldv/example_decisions.jsonl", ("logboek-dataverwerkingen", "decisions")),
        ("ldv/quirks_spans.jsonl", ("logboek-dataverwerkingen", "spans")),
        ("ldv/quirks_decisions.jsonl", ("logboek-dataverwerkingen", "decisions")),
        ("zgw/zaken.json", ("zgw-zaken", "zaken")),
        ("zgw/rollen.jsonl", ("zgw-zaken", "rollen")),
        ("zgw/zaakobjecten.json", ("zgw-zaken", "zaakobjecten")),
        ("zgw/zaaktypen.json", ("zgw-zaken", "zaaktypen")),
        ("brp/example.json", ("brp-personen", "personen")),
        ("brp/personen.jsonl", ("brp-personen", "personen")),
    ],
)
def test_every_fixture_is_recognised_by_exactly_one_adapter(
    relative: str, expected: tuple[str, str]
) -> None:
    first = next(value for _, value in load_json_values(FIXTURES / relative))
    assert sniff_format(first) == expected
    assert sum(a.sniff(first) is not None for a in ADAPTERS.values()) == 1


@pytest.mark.parametrize(
    "canonical",
    [
        {"event_id": "e1", "occurred_at": "2026-01-01T09:00:00", "source_system": "brp"},
        {"case_id": "ZAAK-1", "subject_bsn": "999993653", "opened_at": "2026-01-01"},
        {"bsn": "999993653", "surname": "Jansen"},
        {"employee_id": "e1", "surname": "Vries", "department": "Burgerzaken"},
        None,
        42,
    ],
)
def test_contract_rows_are_not_mistaken_for_a_standard(canonical: object) -> None:
    assert sniff_format(canonical) is None


def test_adapters_ignore_roles_they_do_not_have(tmp_path: Path) -> None:
    for adapter in ADAPTERS.values():
        assert adapter.convert({"unknown": [tmp_path / "x.json"]}, AdapterContext()).records == []


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (("Zoeken personen",), "search"),
        (("Persoon zoeken",), "search"),
        (("Opvragen persoonsgegevens",), "view"),
        (("Raadplegen dossier",), "view"),
        (("Inzien",), "view"),
        (("Wijzigen adres",), "update"),
        (("Bijwerken adres",), "update"),
        (("Aanmaken zaak",), "create"),
        (("Registreren aanvraag",), "create"),
        (("Toevoegen notitie",), "create"),
        (("Verwijderen document",), "delete"),
        (("Exporteren",), "export"),
        (("Afdrukken overzicht",), "print"),
        (("Printen",), "print"),
        (("Basisregistratie personen",), None),  # "registratie" is a noun, not "registreren"
        (("Intake", "Parkeervergunning"), None),
        ((None, "Intake", "Zoeken"), "search"),  # the first name with a verb decides
    ],
)
def test_dutch_verbs_map_to_actions(names: tuple[str | None, ...], expected: str | None) -> None:
    assert action_from_names(*names) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("FooBarApp v2.1", "foobarapp"),
        ("Suite4Zaken 3.2.1", "suite4zaken"),
        ("Mijn Zaken versie 2", "mijn-zaken"),
        ("http://aanvraag", "aanvraag"),
        ("zaaksysteem", "zaaksysteem"),
    ],
)
def test_default_system_names(raw: str, expected: str) -> None:
    assert default_system_name(raw) == expected


def test_bsn_text_pads_only_numbers_that_then_pass() -> None:
    assert bsn_text(12345672) == "012345672"
    assert bsn_text("12345672") == "12345672"  # a string keeps what was written
    assert bsn_text(2308572) == "2308572"  # padding would not make it valid: not guessed
    assert bsn_text(None) is None


def test_fields_tolerates_key_casing_and_empty_values() -> None:
    fields = Fields({"traceId": "a", "objectType": "persoon", "leeg": "", "niets": None})
    assert fields.text("trace_id") == "a"
    assert fields.folded("objecttype") == "persoon"
    assert fields.get("leeg") is None and fields.get("niets") is None
    assert fields.has("niets")
    assert Fields("not an object").get("x") is None

"""BRP Personen adapter: the STANDARDS.md §4 example, each field rule and the accounting."""

from __future__ import annotations

import json

import pytest

from schildwacht.contract import CITIZENS
from schildwacht.ingest.adapters import brp_personen as brp
from schildwacht.ingest.adapters.base import AdapterContext, AdapterOutput

from .helpers import FIXTURES, accounted, json_lines, reject_reasons

DIR = FIXTURES / "brp"


@pytest.fixture
def out() -> AdapterOutput:
    return brp.convert({"personen": [DIR / "personen.jsonl"]}, AdapterContext())


def citizen(out: AdapterOutput, bsn: str) -> dict[str, object]:
    (values,) = [r.values for r in out.records if r.table == "citizens" and r.values["bsn"] == bsn]
    return dict(values)


def relations(out: AdapterOutput, bsn: str) -> list[tuple[object, object]]:
    return [
        (r.values["related_bsn"], r.values["relation"])
        for r in out.records
        if r.table == "relations" and r.values["bsn"] == bsn
    ]


def test_standards_example_maps_to_a_citizen_and_a_relation() -> None:
    result = brp.convert({"personen": [DIR / "example.json"]}, AdapterContext())
    assert result.rejects == [] and result.auxiliary == {}
    person, tie = result.records
    assert person.table == "citizens" and person.locator == "record 1, persoon 1"
    assert person.values == dict.fromkeys(CITIZENS.column_names) | {
        "bsn": "999993653",
        "given_names": "Suzanne",
        "surname_prefix": "van",
        "surname": "Jansen",
        "birth_date": "1985-07-12",
        "postcode": "2511BT",
        "house_number": "70",
        "confidential": "true",
    }
    assert tie.table == "relations"
    assert tie.values == {"bsn": "999993653", "related_bsn": "999990627", "relation": "partner"}
    assert json.loads(tie.raw)["burgerservicenummer"] == "999993653"


def test_partial_birth_date_postcode_space_and_house_letter(out: AdapterOutput) -> None:
    values = citizen(out, "999990627")
    assert values["birth_date"] is None  # JaarDatum: no day is guessed
    assert values["postcode"] == "2511BT"
    assert values["house_number"] == "12A"
    assert values["confidential"] == "false"  # absent means false


def test_deceased_and_house_number_addition(out: AdapterOutput) -> None:
    values = citizen(out, "111222333")
    assert values["deceased_on"] == "2020-01-15"
    assert values["house_number"] == "12-2"
    assert values["surname_prefix"] == "de"


def test_numeric_bsn_abroad_and_partial_death_date(out: AdapterOutput) -> None:
    values = citizen(out, "012345672")  # a JSON number lost its leading zero
    assert values["postcode"] is None and values["house_number"] is None
    assert values["deceased_on"] is None
    assert out.notes == [
        "1 person(s) died on an incompletely known date: deceased_on is empty for them, so "
        "they read as alive."
    ]


def test_relations_in_every_direction(out: AdapterOutput) -> None:
    assert relations(out, "999990627") == [
        ("111222333", "parent"),
        ("2308572", "child"),  # fails the elfproef: the pipeline quarantines it
        ("999993653", "partner"),
    ]
    assert relations(out, "111222333") == [
        ("999990627", "child"),
        ("012345672", "ex_partner"),  # ontbindingHuwelijkPartnerschap has a date
        ("999993653", "partner"),  # the next partner is not an ex because the previous one was
    ]


def test_relative_without_bsn_is_counted(out: AdapterOutput) -> None:
    assert out.auxiliary == {"relative_without_bsn": 1}


def test_broken_line_is_a_reject(out: AdapterOutput) -> None:
    (reject,) = out.rejects
    assert reject.table == "citizens"
    assert reject_reasons(out)["line 4"].startswith("line 4 is not valid JSON: ")


def test_accounting_every_person_and_relative_is_a_row_a_reject_or_counted(
    out: AdapterOutput,
) -> None:
    """Input records: each Persoon, each entry of its partners/ouders/kinderen, each bad line."""
    inputs = 0
    for person in json_lines(DIR / "personen.jsonl"):
        inputs += 1
        if isinstance(person, dict):
            inputs += sum(len(person.get(k, [])) for k in ("partners", "ouders", "kinderen"))
    assert accounted(out) == inputs == 11


def test_sniff() -> None:
    example = json.loads((DIR / "example.json").read_text())
    assert brp.sniff(example) == "personen"
    assert brp.sniff(example["personen"][0]) == "personen"
    assert brp.sniff({"bsn": "999993653", "surname": "Jansen"}) is None

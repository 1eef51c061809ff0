"""VNG Verwerkingenlogging adapter: the STANDARDS.md §2 example, every listed quirk, search
collapsing, logical mutability and the accounting of every input record."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from schildwacht.contract import EVENTS
from schildwacht.ingest.adapters import vng_verwerkingenlogging as vng
from schildwacht.ingest.adapters.base import (
    AccountMap,
    AccountMapping,
    AdapterContext,
    AdapterOutput,
    SourceRecord,
)

from .helpers import FIXTURES, accounted, by_event_id, json_lines, reject_reasons

DIR = FIXTURES / "vng"
ZAAK_UUID = "4f3b0e5a-6c1b-4a8e-9b3e-2b6f1f0f8a11"
A = "a0000000-0000-4000-8000-0000000000"  # prefix of the quirk fixtures' actieIds


def run(ctx: AdapterContext, *names: str) -> AdapterOutput:
    return vng.convert({"acties": [DIR / name for name in names]}, ctx)


@pytest.fixture
def quirks(make_ctx: Callable[..., AdapterContext]) -> AdapterOutput:
    ctx = make_ctx(source_system_names={"Suite4Zaken 3.2.1": "zaaksysteem"})
    return run(ctx, "quirks.jsonl")


def row(out: AdapterOutput, event_id: str) -> dict[str, object]:
    return dict(by_event_id(out)[event_id].values)


def test_standards_example_maps_to_the_contract_row(
    make_ctx: Callable[..., AdapterContext],
) -> None:
    out = run(make_ctx(zaak_uuid_map={ZAAK_UUID: "ZAAK-2025-0001234"}), "example.json")
    assert out.rejects == [] and out.auxiliary == {}
    (record,) = out.records
    contract_part = {k: v for k, v in record.values.items() if k in EVENTS.column_names}
    assert contract_part == {
        "event_id": "7a22eb38-bca6-463f-9955-54ab040287cb",
        "occurred_at": "2024-04-05T14:35:42+01:00",
        "source_system": "foobarapp",
        "employee_id": "e01234",
        "action": "view",
        "subject_bsn": "111222333",
        "processing_activity": "5f0bef4c-f66f-4311-84a5-19e8bf359eaf",
        "case_id": "ZAAK-2025-0001234",
        "data_categories": ["basis"],
        "search_terms": None,
        "result_count": None,
        "outcome": None,
        "client": None,
    }
    assert record.values["vertrouwelijkheid"] == "normaal"
    assert record.values["bewaartermijn"] == "P10Y"
    assert record.table == "events" and record.locator == "record 1"
    assert json.loads(record.raw)["actieId"] == "7a22eb38-bca6-463f-9955-54ab040287cb"


def test_verwerking_id_is_a_case_only_when_it_is_a_known_zaak(
    make_ctx: Callable[..., AdapterContext],
) -> None:
    (record,) = run(make_ctx(), "example.json").records
    assert record.values["case_id"] is None
    upper = {ZAAK_UUID.upper(): "ZAAK-2025-0001234"}
    (record,) = run(make_ctx(zaak_uuid_map=upper), "example.json").records
    assert record.values["case_id"] == "ZAAK-2025-0001234"


def test_nijmegen_store_quirks(quirks: AdapterOutput) -> None:
    """objectType with capital T, Persoon/Normaal in any case, bewaartermijn 150, a
    tijdstipRegistratie without offset and a BSN failing the elfproef (passed on unjudged)."""
    values = row(quirks, A + "01")
    assert values["subject_bsn"] == "1234567"  # the pipeline quarantines it, not the adapter
    assert values["employee_id"] == "e05678"
    assert values["vertrouwelijkheid"] == "normaal"
    assert values["bewaartermijn"] == "P150Y"
    assert values["tijdstip_registratie"] == "2024-04-05T14:35:43"
    assert values["data_categories"] == ["bsn"]
    assert values["action"] == "search"  # "Zoeken personen", but not a collapsed search result
    assert values["result_count"] is None


def test_store_dump_with_items_wrapper(make_ctx: Callable[..., AdapterContext]) -> None:
    out = run(make_ctx(), "nijmegen_dump.json")
    (record,) = out.records
    assert record.locator == "record 1, item 1"
    assert record.values["subject_bsn"] == "999993653"


def test_paginated_response(make_ctx: Callable[..., AdapterContext]) -> None:
    out = run(make_ctx(), "page.json")
    assert [r.values["action"] for r in out.records] == ["view", "update"]
    assert [r.locator for r in out.records] == ["record 1", "record 2"]


def test_latest_registration_wins_and_the_superseded_version_is_counted(
    quirks: AdapterOutput,
) -> None:
    values = row(quirks, A + "02")  # the later version comes first in the file
    assert values["action"] == "update"
    assert values["data_categories"] == ["adres"]
    assert values["tijdstip_registratie"] == "2024-04-06T10:05:00+02:00"
    assert quirks.auxiliary["superseded"] == 2  # one of actie 02, one of actie 03


def test_vervallen_withdraws_the_action_and_is_counted(quirks: AdapterOutput) -> None:
    assert not any(str(r.values["event_id"]).startswith(A + "03") for r in quirks.records)
    assert quirks.auxiliary["vervallen"] == 1


def test_search_showing_several_people_is_one_event_without_subject(
    quirks: AdapterOutput,
) -> None:
    values = row(quirks, A + "04")
    assert values["action"] == "search"
    assert values["subject_bsn"] is None
    assert values["result_count"] == "3"
    assert values["data_categories"] == ["basis", "adres"]
    assert values["employee_id"] == "e00002"  # pietje from 2024-01-01
    assert quirks.auxiliary["search_result_collapsed"] == 2


def test_search_showing_one_person_keeps_the_subject(quirks: AdapterOutput) -> None:
    values = row(quirks, A + "05")  # betrokkenheid written in lower case
    assert values["action"] == "search"
    assert values["subject_bsn"] == "999993653"
    assert values["result_count"] == "1"
    assert values["employee_id"] == "e00001"  # pietje until 2023-12-31


def test_action_touching_several_people_gets_one_event_each(quirks: AdapterOutput) -> None:
    rows = by_event_id(quirks)
    first, second = rows[A + "06:999993653"], rows[A + "06:999990627"]
    assert (first.values["action"], second.values["action"]) == ("export", "export")
    assert second.values["data_categories"] == ["financieel"]
    assert first.locator == "line 8, object 1"
    assert quirks.auxiliary["non_person_object"] == 1  # the zaak object of the same action


def test_missing_gebruiker_is_rejected_with_the_design_decision(quirks: AdapterOutput) -> None:
    (reject,) = [r for r in quirks.rejects if r.locator == "line 9"]
    assert reject.field == "gebruiker"
    assert "does not fill" in reject.reason and "B9207" in reject.reason
    assert json.loads(reject.raw)["actieId"] == A + "07"


def test_unknown_account_is_rejected_naming_account_system_and_fix(
    quirks: AdapterOutput,
) -> None:
    reason = reject_reasons(quirks)["line 10"]
    assert "'onbekend'" in reason and "'foobarapp'" in reason and "account_map.csv" in reason


def test_account_outside_its_validity_says_so(make_ctx: Callable[..., AdapterContext]) -> None:
    until_2024 = date(2023, 12, 31)
    old = AccountMap([AccountMapping("foobarapp", "pietje", "e00001", valid_to=until_2024)])
    out = run(make_ctx(account_map=old), "quirks.jsonl")
    reason = reject_reasons(out)["line 6"]  # the 2024 search by pietje
    assert "no row is valid on 2024-02-01" in reason


def test_objectless_action_is_one_event_without_subject(quirks: AdapterOutput) -> None:
    values = row(quirks, A + "09")
    assert values["action"] == "print" and values["subject_bsn"] is None


def test_person_identified_otherwise_than_by_bsn_keeps_the_id_in_extra_columns(
    quirks: AdapterOutput,
) -> None:
    values = row(quirks, A + "10")
    assert values["subject_bsn"] is None
    assert (values["subject_id"], values["subject_id_type"]) == ("1234567890", "A-nummer")


def test_system_override_wildcard_account_numeric_bsn_and_activity_url(
    quirks: AdapterOutput,
) -> None:
    values = row(quirks, A + "11")
    assert values["source_system"] == "zaaksysteem"
    assert values["employee_id"] == "e09999"
    assert values["subject_bsn"] == "012345672"  # a JSON number lost its leading zero
    assert values["action"] == "create"
    assert str(values["processing_activity"]).startswith("https://verwerkingsactiviteiten.")
    assert values["case_id"] is None  # verwerkingId is not a known zaak
    assert values["data_categories"] == ["basis", "paspoortnummer"]  # unknown kept, lower-cased


def test_broken_lines_and_unmappable_records_are_rejects_not_exceptions(
    quirks: AdapterOutput,
) -> None:
    reasons = reject_reasons(quirks)
    assert reasons["line 13"].startswith("line 13 is not valid JSON: ")
    assert "not a JSON object" in reasons["line 14"]
    assert "actieId" in reasons["line 16"]
    assert "systeem" in reasons["line 17"]
    assert all(r.table == "events" and r.raw for r in quirks.rejects)


def test_every_record_keeps_its_raw_source(quirks: AdapterOutput) -> None:
    assert all(isinstance(json.loads(r.raw), dict) for r in quirks.records)


def _units(value: object) -> int:
    """Input records per the module docstring: one per object, at least one per value."""
    if not isinstance(value, dict):
        return 1
    objects = value.get("verwerkteObjecten")
    return max(1, len(objects)) if isinstance(objects, list) else 1


def _inputs(path: Path) -> int:
    if path.suffix == ".jsonl":
        return sum(_units(v) for v in json_lines(path))
    document = json.loads(path.read_text(encoding="utf-8"))
    items = document.get("results") or document.get("Items") or [document]
    return sum(_units(v) for v in items)


def test_accounting_every_input_record_is_a_row_a_reject_or_counted(
    make_ctx: Callable[..., AdapterContext],
) -> None:
    paths = sorted(DIR.iterdir())
    out = vng.convert({"acties": paths}, make_ctx())
    assert accounted(out) == sum(_inputs(p) for p in paths) == 25


def test_records_use_contract_text_values(quirks: AdapterOutput) -> None:
    for record in quirks.records:
        assert isinstance(record, SourceRecord)
        for value in record.values.values():
            assert value is None or isinstance(value, str | list)


def test_no_account_map_is_noted(make_ctx: Callable[..., AdapterContext]) -> None:
    out = run(make_ctx(account_map=AccountMap()), "example.json")
    assert out.records == [] and len(out.rejects) == 1
    assert out.notes and "account map" in out.notes[0]


def test_sniff() -> None:
    example = json.loads((DIR / "example.json").read_text())
    assert vng.sniff(example) == "acties"
    assert vng.sniff([example]) == "acties"
    assert vng.sniff({"Items": [example]}) == "acties"
    assert vng.sniff({"event_id": "x", "occurred_at": "2024-01-01"}) is None
    assert vng.sniff("text") is None

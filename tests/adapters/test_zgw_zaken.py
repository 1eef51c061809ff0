"""ZGW Zaken adapter: the STANDARDS.md §3 example, the zaak/rol join and its rejects, the
assignee and team rules, zaaktype resolution, the uuid map and the accounting."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from schildwacht.contract import CASES
from schildwacht.ingest.adapters import zgw_zaken as zgw
from schildwacht.ingest.adapters.base import AdapterContext, AdapterOutput

from .helpers import FIXTURES, accounted, json_lines, reject_reasons

DIR = FIXTURES / "zgw"
FILES = {
    "zaken": [DIR / "zaken.json"],
    "rollen": [DIR / "rollen.jsonl"],
    "zaakobjecten": [DIR / "zaakobjecten.json"],
    "zaaktypen": [DIR / "zaaktypen.json"],
}
Z1 = "4f3b0e5a-6c1b-4a8e-9b3e-2b6f1f0f8a11"


@pytest.fixture
def out(make_ctx: Callable[..., AdapterContext]) -> AdapterOutput:
    return zgw.convert(FILES, make_ctx())


def rows(out: AdapterOutput, case_id: str) -> dict[str, dict[str, object]]:
    """The case's rows keyed by subject_bsn."""
    found = [r.values for r in out.records if r.values["case_id"] == case_id]
    return {str(v["subject_bsn"]): dict(v) for v in found}


def test_standards_example_maps_to_the_contract_row(out: AdapterOutput) -> None:
    (values,) = rows(out, "ZAAK-2025-0001234").values()
    assert {k: v for k, v in values.items() if k in CASES.column_names} == {
        "case_id": "ZAAK-2025-0001234",
        "case_type": "Parkeervergunning",
        "subject_bsn": "111222333",
        "assignee_employee_id": "e01234",
        "assignee_team": None,
        "opened_at": "2025-03-03T00:00:00",
        "closed_at": None,
    }
    assert values["zaak_uuid"] == Z1
    assert values["assignee_account"] == "jdevries"


def test_one_row_per_person_and_a_person_with_two_roles_once(out: AdapterOutput) -> None:
    case = rows(out, "ZAAK-2025-0001300")
    assert sorted(case) == ["999990627", "999993653"]
    assert out.auxiliary["duplicate_subject"] == 1


def test_latest_behandelaar_unmapped_keeps_the_row_without_assignee(out: AdapterOutput) -> None:
    values = rows(out, "ZAAK-2025-0001300")["999993653"]
    assert values["assignee_employee_id"] is None
    assert values["assignee_account"] == "pjansen"  # registered after jdevries
    assert values["assignee_team"] == "Team Inkomen"
    assert values["case_type"] == "Bijstand"
    assert values["closed_at"] == "2025-04-30T23:59:59"
    assert len(out.notes) == 1 and "pjansen" in out.notes[0] and "account_map.csv" in out.notes[0]


def test_bsn_from_betrokkene_url_and_zaakobject_and_unresolved_zaaktype(
    out: AdapterOutput,
) -> None:
    case = rows(out, "ZAAK-2025-0001302")
    assert sorted(case) == ["111222333", "2308572"]  # 2308572 fails the elfproef: pipeline's job
    values = case["111222333"]
    assert values["case_type"] == "https://catalogi.gemeente.example/api/v1/zaaktypen/ffff"
    assert values["assignee_team"] == "OE-42"  # a team known by identificatie only
    assert values["assignee_employee_id"] is None  # an adviseur is not the behandelaar
    assert out.auxiliary["natural_person_without_bsn"] == 1
    assert out.auxiliary["non_person_zaakobject"] == 1


def test_zaak_without_natural_person_yields_no_rows_and_is_counted(out: AdapterOutput) -> None:
    assert rows(out, "ZAAK-2025-0001301") == {}
    assert out.auxiliary["zaak_without_subject"] == 1


def test_rol_of_an_unknown_zaak_is_rejected(out: AdapterOutput) -> None:
    reject = next(r for r in out.rejects if r.field == "zaak")
    assert reject.table == "cases"
    assert "e5f0b4a3-6d7c-4f8b-8a9e-0d1c2b3a4f55" in reject.reason
    assert "not in the zaken files" in reject.reason
    assert json.loads(reject.raw)["betrokkeneType"] == "natuurlijk_persoon"


def test_broken_line_is_a_reject(out: AdapterOutput) -> None:
    assert reject_reasons(out)["line 4"].startswith("line 4 is not valid JSON: ")


def test_without_zaaktypen_the_uri_is_kept(make_ctx: Callable[..., AdapterContext]) -> None:
    files = {"zaken": FILES["zaken"], "rollen": FILES["rollen"]}
    result = zgw.convert(files, make_ctx())
    (values,) = rows(result, "ZAAK-2025-0001234").values()
    assert values["case_type"] == "https://catalogi.gemeente.example/api/v1/zaaktypen/0b6c"


def test_account_system_can_be_renamed(make_ctx: Callable[..., AdapterContext]) -> None:
    result = zgw.convert(FILES, make_ctx(source_system_names={"zgw-zaken": "openzaak"}))
    (values,) = rows(result, "ZAAK-2025-0001234").values()
    assert values["assignee_employee_id"] is None  # no openzaak rows in the account map
    assert "'openzaak,<account>,<employee_id>'" in result.notes[0]


def test_rows_keep_zaak_and_rol_as_raw(out: AdapterOutput) -> None:
    raw = json.loads(next(iter(out.records)).raw)
    assert set(raw) == {"zaak", "rollen"} and raw["zaak"]["uuid"] == Z1


def test_zaak_uuid_map() -> None:
    assert zgw.zaak_uuid_map(FILES)[Z1] == "ZAAK-2025-0001234"
    assert len(zgw.zaak_uuid_map(FILES)) == 4
    assert zgw.zaak_uuid_map({}) == {}


def _inputs(path: Path) -> int:
    """Input records per the module docstring: every zaak, rol, zaakobject, zaaktype, line."""
    if path.suffix == ".jsonl":
        return len(json_lines(path))
    document = json.loads(path.read_text(encoding="utf-8"))
    return len(document["results"] if isinstance(document, dict) else document)


def test_accounting_every_record_is_a_row_a_reject_or_counted(out: AdapterOutput) -> None:
    inputs = sum(_inputs(p) for paths in FILES.values() for p in paths)
    assert accounted(out) == inputs == 23
    assert len(out.records) == 5 and len(out.rejects) == 2


def test_sniff() -> None:
    zaak = json.loads((DIR / "zaken.json").read_text())
    assert zgw.sniff(zaak) == "zaken"  # the page itself
    assert zgw.sniff(zaak["results"][0]) == "zaken"
    assert zgw.sniff(json_lines(DIR / "rollen.jsonl")[0]) == "rollen"
    assert zgw.sniff(json.loads((DIR / "zaakobjecten.json").read_text())) == "zaakobjecten"
    assert zgw.sniff(json.loads((DIR / "zaaktypen.json").read_text())) == "zaaktypen"
    assert zgw.sniff({"case_id": "ZAAK-1", "subject_bsn": "999993653"}) is None

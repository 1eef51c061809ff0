"""Logboek Dataverwerkingen adapter: the STANDARDS.md §1 example, the decision-log join and its
rejects, search collapsing, every dialect quirk and the accounting of every input record."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from schildwacht.contract import EVENTS
from schildwacht.ingest.adapters import logboek_dataverwerkingen as ldv
from schildwacht.ingest.adapters._otlp import normalise_id, outcome_of, to_iso_z
from schildwacht.ingest.adapters.base import AdapterContext, AdapterOutput

from .helpers import FIXTURES, accounted, by_event_id, json_lines, reject_reasons

DIR = FIXTURES / "ldv"
SYSTEMS = {"BRP-bevragen v2": "brp"}


def run(ctx: AdapterContext, spans: list[str], decisions: list[str]) -> AdapterOutput:
    files = {"spans": [DIR / s for s in spans], "decisions": [DIR / d for d in decisions]}
    return ldv.convert(files, ctx)


@pytest.fixture
def quirks(make_ctx: Callable[..., AdapterContext]) -> AdapterOutput:
    ctx = make_ctx(source_system_names=SYSTEMS)
    return run(ctx, ["quirks_spans.jsonl"], ["quirks_decisions.jsonl"])


def row(out: AdapterOutput, trace: str, span: str) -> dict[str, object]:
    return dict(by_event_id(out)[f"{trace}:{span}"].values)


def test_standards_example_maps_to_the_contract_row(
    make_ctx: Callable[..., AdapterContext],
) -> None:
    out = run(make_ctx(), ["example_spans.json"], ["example_decisions.jsonl"])
    assert out.rejects == [] and out.auxiliary == {"decision_records": 1}
    (record,) = out.records
    assert record.values == dict.fromkeys(EVENTS.column_names) | {
        "event_id": "0ac8d1c5251f6cd04c2fe5acd871f69c:f08448c4a0dfea16",
        "occurred_at": "2025-04-22T14:47:47.994Z",
        "source_system": "zaaksysteem",
        "employee_id": "e01234",  # account map: zaaksysteem,jdevries → e01234
        "action": "view",
        "subject_bsn": "999993653",
        "processing_activity": "https://rva.gemeente.example/va/5f0bef4c",
        "outcome": "ok",
    }
    assert record.locator == "record 1, span 0ac8d1c5251f6cd04c2fe5acd871f69c:f08448c4a0dfea16"
    assert json.loads(record.raw)["spanId"] == "f08448c4a0dfea16"


def test_span_without_decision_log_is_rejected_never_guessed(
    make_ctx: Callable[..., AdapterContext],
) -> None:
    out = run(make_ctx(), ["example_spans.json"], [])
    (reject,) = out.rejects
    assert out.records == []
    assert reject.field == "employee_id"
    assert reject.reason.startswith(
        "no access-decision record names the user of trace "
        "0ac8d1c5251f6cd04c2fe5acd871f69c span f08448c4a0dfea16"
    )


def test_search_with_several_results_is_one_event_without_subject(
    quirks: AdapterOutput,
) -> None:
    """Upper-case hex ids; the decision sits at the trace's entry point (trace-level join)."""
    values = row(quirks, "a1" * 16, "b100000000000001")
    assert values["action"] == "search"
    assert values["subject_bsn"] is None
    assert values["result_count"] == "3"
    assert values["employee_id"] == "e07777"
    assert values["source_system"] == "brp"


def test_search_with_one_result_keeps_the_subject(quirks: AdapterOutput) -> None:
    """Trace id in UUID form; root parent written as zeros; decision matched on span_id."""
    values = row(quirks, "0af7651916cd43dd8448eb211c80319c", "b200000000000001")
    assert (values["action"], values["subject_bsn"], values["result_count"]) == (
        "search",
        "999993653",
        "1",
    )


def test_orphan_search_results_are_collapsed_under_their_missing_parent(
    quirks: AdapterOutput,
) -> None:
    values = row(quirks, "cd" * 16, "cd00000000000001")
    assert (values["action"], values["subject_bsn"], values["result_count"]) == (
        "search",
        None,
        "2",
    )
    assert quirks.auxiliary["search_result_collapsed"] == 3 + 1 + 1


def test_children_of_a_non_search_action_stay_separate_events(quirks: AdapterOutput) -> None:
    """Ids in a "context" wrapper, a 16-hex trace id, µs labelled as ns (code-sprint quirks)."""
    trace = "12345678abcdef12"
    parent = row(quirks, trace, "ce00000000000001")
    kids = [row(quirks, trace, f"ce0000000000000{n}") for n in (2, 3)]
    assert parent["action"] == "export" and parent["subject_bsn"] is None
    assert [k["action"] for k in kids] == ["export", "export"]  # inherited from the parent
    assert [k["subject_bsn"] for k in kids] == ["999993653", "111222333"]
    assert parent["occurred_at"] == "2025-05-14T13:40:00Z"
    assert kids[0]["occurred_at"] == "2025-05-14T13:40:00.100Z"


def test_base64_ids_int_subject_and_status_code_ok(quirks: AdapterOutput) -> None:
    values = row(quirks, "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7")
    assert values["subject_bsn"] == "999993653"
    assert values["outcome"] == "ok"


def test_flat_line_with_ms_time_object_attributes_and_error_status(quirks: AdapterOutput) -> None:
    values = row(quirks, "c4" * 16, "c400000000000001")
    assert values["occurred_at"] == "2025-04-22T14:47:47.994Z"
    assert values["outcome"] == "error"  # kept: a failed attempt is still an attempt
    assert values["action"] == "update"
    assert values["subject_bsn"] == "999990627"  # data_subject_id_type "bsn" in lower case
    assert values["employee_id"] == "e01234"


def test_old_07_line_with_misspelt_attribute_and_iso_time(quirks: AdapterOutput) -> None:
    values = row(quirks, "c5" * 16, "c500000000000001")
    assert values["source_system"] == "zaaksysteem"  # resource{name, version}
    assert values["processing_activity"] == "https://rva.gemeente.example/va/5f0bef4c"
    assert values["occurred_at"] == "2025-04-22T14:47:47Z"
    assert values["subject_bsn"] == "2308572"  # fails the elfproef: the pipeline quarantines it


def test_attributes_as_a_map_of_any_values(quirks: AdapterOutput) -> None:
    values = row(quirks, "cc" * 16, "cc00000000000001")
    assert (values["subject_bsn"], values["action"], values["outcome"]) == (
        "999993653",
        "view",
        "ok",
    )


def test_refused_access_decision_gives_outcome_denied(quirks: AdapterOutput) -> None:
    assert row(quirks, "cb" * 16, "cb00000000000001")["outcome"] == "denied"


def test_join_rejects(quirks: AdapterOutput) -> None:
    reasons = {r.locator.split(", span ")[-1]: r.reason for r in quirks.rejects}
    c7, c9 = "c7" * 16 + ":c700000000000001", "c9" * 16 + ":c900000000000001"
    ca, cf = "ca" * 16 + ":ca00000000000001", "cf" * 16 + ":cf00000000000001"
    assert "data_subject_id_type" in reasons[c7]
    assert reasons[c9].startswith("no access-decision record names the user of trace")
    assert "'onbekend'" in reasons[ca] and "'brp'" in reasons[ca]
    assert "several users (jdevries, mbakker)" in reasons[cf]


def test_non_citizen_and_non_ldv_spans_are_counted_not_emitted(quirks: AdapterOutput) -> None:
    assert quirks.auxiliary["non_citizen_subject"] == 1
    assert quirks.auxiliary["non_ldv_span"] == 1
    assert not any(str(k).startswith("c6") or str(k).startswith("c8") for k in by_event_id(quirks))


def test_broken_lines_and_foreign_records_are_rejects(quirks: AdapterOutput) -> None:
    reasons = reject_reasons(quirks)
    assert reasons["line 10"].startswith("line 10 is not valid JSON: ")
    assert "neither an OTLP document" in reasons["line 17"]
    assert "no trace_id" in reasons["line 16"]  # the decision record without trace_id


def test_unmatched_decisions_are_noted(quirks: AdapterOutput) -> None:
    assert quirks.notes == [
        "1 access-decision record(s) belong to no trace in the Logboek files (a request "
        "refused before any processing leaves only a decision record)."
    ]


def _spans_in(value: object) -> int:
    """Input records per the module docstring: every span; a value that is not one counts 1."""
    if not isinstance(value, dict):
        return 1
    if "resourceSpans" in value:
        return sum(
            len(scope["spans"]) for rs in value["resourceSpans"] for scope in rs["scopeSpans"]
        )
    return 1


def _inputs(path: Path) -> int:
    if path.suffix == ".jsonl":
        return sum(_spans_in(v) for v in json_lines(path))
    return _spans_in(json.loads(path.read_text(encoding="utf-8")))


def test_accounting_every_span_and_decision_is_a_row_a_reject_or_counted(
    quirks: AdapterOutput, make_ctx: Callable[..., AdapterContext]
) -> None:
    inputs = _inputs(DIR / "quirks_spans.jsonl") + len(json_lines(DIR / "quirks_decisions.jsonl"))
    assert accounted(quirks) == inputs == 40
    example = run(make_ctx(), ["example_spans.json"], ["example_decisions.jsonl"])
    assert accounted(example) == _inputs(DIR / "example_spans.json") + 1


def test_sniff() -> None:
    (spans,) = json_lines(DIR / "quirks_spans.jsonl")[:1]
    decision = json_lines(DIR / "quirks_decisions.jsonl")[0]
    assert ldv.sniff(spans) == "spans"
    assert ldv.sniff(decision) == "decisions"
    assert ldv.sniff({"trace_id": "ab", "operation_id": "cd", "name": "x"}) == "spans"
    assert ldv.sniff({"context": {"traceId": "ab", "spanId": "cd"}}) == "spans"
    assert ldv.sniff({"event_id": "x"}) is None


TRACE = "0ac8d1c5251f6cd04c2fe5acd871f69c"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        (TRACE, TRACE),
        (TRACE.upper(), TRACE),
        ("0ac8d1c5-251f-6cd0-4c2f-e5acd871f69c", TRACE),
        (base64.b64encode(bytes.fromhex(TRACE)).decode(), TRACE),
        (base64.b64encode(bytes.fromhex("f08448c4a0dfea16")).decode(), "f08448c4a0dfea16"),
        ("12345678abcdef12", "12345678abcdef12"),
        ("", None),
        ("0000000000000000", None),
        (None, None),
        ("not-an-id!", "not-an-id!"),
    ],
)
def test_normalise_id(written: str | None, expected: str | None) -> None:
    assert normalise_id(written) == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("1745333267994934004", "2025-04-22T14:47:47.994Z"),  # ns (OTLP)
        (1745333267994934, "2025-04-22T14:47:47.994Z"),  # µs
        (1745333267994, "2025-04-22T14:47:47.994Z"),  # ms (LDV)
        (1745333267, "2025-04-22T14:47:47Z"),  # s
        ("1745333267.5", "2025-04-22T14:47:47.500Z"),
        ("2025-04-22T16:47:47+02:00", "2025-04-22T14:47:47Z"),
        ("2025-04-22T14:47:47.994Z", "2025-04-22T14:47:47.994Z"),
        ("2025-04-22T16:47:47", "2025-04-22T16:47:47"),  # local time stays local
        ("gisteren", "gisteren"),  # passed on for the pipeline to quarantine
        ("0", None),
        (None, None),
    ],
)
def test_to_iso_z(written: object, expected: str | None) -> None:
    assert to_iso_z(written) == expected


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (None, "ok"),
        ({}, "ok"),
        ({"code": 0}, "ok"),
        ({"code": 1}, "ok"),
        ({"code": 2}, "error"),
        ("Unset", "ok"),
        ("Ok", "ok"),
        ("OK", "ok"),
        ("Error", "error"),
        ("error", "error"),
        ("STATUS_CODE_OK", "ok"),
        ("STATUS_CODE_UNKNOWN", "ok"),
        ("STATUS_CODE_ERROR", "error"),
        ({"code": "STATUS_CODE_ERROR"}, "error"),
        ({"statusCode": "STATUS_CODE_OK", "message": ""}, "ok"),
        (2, "error"),
        ("Kapot", None),
    ],
)
def test_outcome_of_every_status_spelling(status: object, expected: str | None) -> None:
    assert outcome_of(status) == expected


def _kv(key: str, value: str) -> dict[str, object]:
    return {"key": key, "value": {"stringValue": value}}


def _line(span_id: str, name: str, subject: tuple[str, str] | None, parent: str = "") -> dict:
    attributes = [_kv("dpl.core.processing_activity_id", "va-1")]
    if subject:
        attributes += [
            _kv("dpl.core.data_subject_id", subject[0]),
            _kv("dpl.core.data_subject_id_type", subject[1]),
        ]
    return {
        "traceId": "ab" * 16,
        "spanId": span_id,
        "parentSpanId": parent,
        "name": name,
        "startTimeUnixNano": "1745333267994934004",
        "attributes": attributes,
    }


def test_search_that_found_only_non_citizens_is_not_a_citizen_access(
    tmp_path: Path, make_ctx: Callable[..., AdapterContext]
) -> None:
    parent = "ab00000000000001"
    spans = [
        _line(parent, "Zoeken medewerker", None),
        _line("ab00000000000002", "Zoeken medewerker", ("E1", "personeelsnummer"), parent),
        _line("ab00000000000003", "Zoeken medewerker", ("E2", "personeelsnummer"), parent),
    ]
    resource = {"attributes": [_kv("service.name", "hr")]}
    document = {"resourceSpans": [{"resource": resource, "scopeSpans": [{"spans": spans}]}]}
    path = tmp_path / "spans.jsonl"
    path.write_text(json.dumps(document) + "\n")
    out = ldv.convert({"spans": [path]}, make_ctx())
    assert out.records == [] and out.rejects == []
    assert out.auxiliary == {"non_citizen_subject": 3}

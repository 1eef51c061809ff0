"""load_json_values: every container the standards deliver, and bad input as rejects."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from schildwacht.ingest.adapters import first_record, load_json_values
from schildwacht.ingest.adapters.base import Reject


def values(path: Path, table: str = "events") -> list[tuple[str, object]]:
    return list(load_json_values(path, table=table))


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_single_object(tmp_path: Path) -> None:
    path = write(tmp_path, "a.json", '{\n  "a": 1\n}\n')
    assert values(path) == [("record 1", {"a": 1})]


def test_pretty_array(tmp_path: Path) -> None:
    path = write(tmp_path, "a.json", json.dumps([{"a": 1}, {"a": 2}], indent=2))
    assert values(path) == [("record 1", {"a": 1}), ("record 2", {"a": 2})]


def test_paginated_results(tmp_path: Path) -> None:
    page = {"count": 2, "next": None, "previous": None, "results": [{"a": 1}, {"a": 2}]}
    path = write(tmp_path, "a.json", json.dumps(page, indent=2))
    assert values(path) == [("record 1", {"a": 1}), ("record 2", {"a": 2})]


def test_object_with_results_and_other_keys_is_not_a_page(tmp_path: Path) -> None:
    document = {"results": [1], "type": "x"}
    path = write(tmp_path, "a.json", json.dumps(document, indent=2))
    assert values(path) == [("record 1", document)]


def test_jsonl_with_blank_lines_and_a_page_on_one_line(tmp_path: Path) -> None:
    page = json.dumps({"count": 2, "results": [{"b": 1}, {"b": 2}]})
    path = write(tmp_path, "a.jsonl", '{"a": 1}\n\n' + page + "\n")
    assert values(path) == [
        ("line 1", {"a": 1}),
        ("line 3 record 1", {"b": 1}),
        ("line 3 record 2", {"b": 2}),
    ]


def test_invalid_line_is_a_reject_and_reading_goes_on(tmp_path: Path) -> None:
    path = write(tmp_path, "a.jsonl", '{"a": 1}\n{"a": \n{"a": 3}\n')
    found = values(path, table="cases")
    assert found[0] == ("line 1", {"a": 1}) and found[2] == ("line 3", {"a": 3})
    locator, reject = found[1]
    assert isinstance(reject, Reject)
    assert locator == reject.locator == "line 2"
    assert reject.table == "cases" and reject.source_file == str(path)
    assert reject.reason.startswith("line 2 is not valid JSON: Expecting value")
    assert json.loads(reject.raw) == '{"a": '


def test_damaged_first_line_of_jsonl_still_reads_the_rest(tmp_path: Path) -> None:
    path = write(tmp_path, "a.jsonl", '{"a": tru\n{"a": 2}\n')
    found = values(path)
    assert isinstance(found[0][1], Reject) and found[0][0] == "line 1"
    assert found[1] == ("line 2", {"a": 2})


def test_broken_pretty_document_is_one_reject(tmp_path: Path) -> None:
    path = write(tmp_path, "a.json", '{\n  "a": 1,\n  "b": \n}\n')
    ((locator, reject),) = values(path)
    assert isinstance(reject, Reject)
    assert locator == "line 4"
    assert "neither JSON nor JSON Lines" in reject.reason


def test_gzip_and_bom(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl.gz"
    with gzip.open(path, "wb") as handle:
        handle.write(b'\xef\xbb\xbf{"a": 1}\n{"a": 2}\n')
    assert values(path) == [("line 1", {"a": 1}), ("line 2", {"a": 2})]


def test_truncated_gzip_keeps_what_was_read_and_rejects_the_rest(tmp_path: Path) -> None:
    data = gzip.compress(b"".join(b'{"a": %d}\n' % n for n in range(2000)))
    path = tmp_path / "a.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    found = values(path)
    assert all(isinstance(v, dict) for _, v in found[:-1])
    assert isinstance(found[-1][1], Reject)
    assert "could not be read" in found[-1][1].reason


def test_non_utf8_line_is_a_reject(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'{"a": 1}\n{"a": "\xff"}\n')
    found = values(path)
    assert found[0] == ("line 1", {"a": 1})
    assert isinstance(found[1][1], Reject) and "not valid UTF-8" in found[1][1].reason


def test_empty_file_yields_nothing(tmp_path: Path) -> None:
    assert values(write(tmp_path, "a.json", "\n\n")) == []


def test_first_record() -> None:
    assert first_record([{"a": 1}, {"a": 2}]) == {"a": 1}
    assert first_record({"count": 1, "results": [{"a": 1}]}) == {"a": 1}
    assert first_record({"a": 1}) == {"a": 1}
    assert first_record([]) is None


def test_document_broken_at_the_end_is_one_reject(tmp_path: Path) -> None:
    path = write(tmp_path, "a.json", '{\n  "a": 1,\n')
    ((locator, reject),) = values(path)
    assert isinstance(reject, Reject) and locator == "line 3"


def test_corrupt_gzip_is_a_reject(tmp_path: Path) -> None:
    data = bytearray(gzip.compress(b'{"a": 1}\n' * 100))
    data[20:40] = b"\x00" * 20
    path = tmp_path / "a.jsonl.gz"
    path.write_bytes(bytes(data))
    found = values(path)
    assert found and isinstance(found[-1][1], Reject)

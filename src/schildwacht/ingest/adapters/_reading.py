"""Reading JSON as public APIs and log stores deliver it: one object, an array, a page, or lines.

The adapters meet the same containers over and over: an API response that is one object, a
JSON array, a paginated ``{"count", "next", "results": [...]}`` page, or a JSON Lines log
(possibly gzip-compressed). ``load_json_values`` turns all of them into one stream of
``(locator, value)`` pairs so that each adapter only deals with its own records. A broken line
must never stop an ingest run, so it comes out of the stream as a ``Reject`` in place of a value.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from schildwacht.ingest.adapters.base import Reject, raw_json

_GZIP_MAGIC = b"\x1f\x8b"
_BOM = b"\xef\xbb\xbf"
_PAGE_KEYS = frozenset({"count", "next", "previous", "results"})
_READ_ERRORS = (OSError, EOFError, zlib.error)  # unreadable, truncated or corrupt (.gz) files


def load_json_values(path: Path, *, table: str = "events") -> Iterator[tuple[str, object]]:
    """Yield ``(locator, value)`` for every record in a JSON or JSON Lines file (also ``.gz``).

    Arrays and paginated ``results`` pages are unpacked into their elements ("record 3", or
    "line 2 record 3" for a page on one line); a JSONL file yields one value per line
    ("line 7"); a single object yields ("record 1", object). A line that is not valid JSON (or
    not UTF-8) is yielded as ``(locator, Reject)`` for ``table``, so callers must check
    ``isinstance(value, Reject)``; nothing is raised for bad content.

    A file whose first non-blank line is a JSON value on its own is read line by line (streamed),
    otherwise it is parsed as one document; if that fails but some lines hold JSON objects, it is
    read as JSON Lines after all (a JSONL log whose first line is damaged).
    """
    source = str(path)
    try:
        with _open(path) as handle:
            numbered = enumerate(handle, start=1)
            head: list[tuple[int, bytes]] = []
            for number, line in numbered:
                head.append((number, line))
                if line.strip():
                    break
            if not head or not head[-1][1].strip():
                return
            if _parses(head[-1][1]):
                yield from _read_lines(source, table, _chain(head, numbered))
                return
            rest = handle.read()
    except _READ_ERRORS as exc:
        yield "file", _reject(source, table, "file", f"the file could not be read: {exc}", "")
        return
    data = b"".join(line for _, line in head) + rest
    yield from _read_document(source, table, data)


def first_record(value: object) -> object:
    """The first element of an array or page, else the value itself (what ``sniff`` inspects)."""
    items = _items(value)
    if items is None:
        return value
    return items[0] if items else None


def _open(path: Path) -> BinaryIO:
    with path.open("rb") as probe:
        magic = probe.read(2)
    if magic == _GZIP_MAGIC:
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def _chain(
    head: list[tuple[int, bytes]], rest: Iterator[tuple[int, bytes]]
) -> Iterator[tuple[int, bytes]]:
    yield from head
    yield from rest


def _parses(line: bytes) -> bool:
    try:
        json.loads(_decode(line))
    except (ValueError, UnicodeDecodeError):
        return False
    return True


def _decode(line: bytes) -> str:
    return line.removeprefix(_BOM).decode("utf-8")


def _read_lines(
    source: str, table: str, lines: Iterable[tuple[int, bytes]]
) -> Iterator[tuple[str, object]]:
    number = 0
    try:
        for number, line in lines:
            if not line.strip():
                continue
            locator = f"line {number}"
            try:
                text = _decode(line).rstrip("\r\n")
            except UnicodeDecodeError as exc:
                raw = raw_json(line.decode("utf-8", "replace").rstrip("\r\n"))
                reason = f"{locator} is not valid UTF-8: {exc.reason} at byte {exc.start}"
                yield locator, _reject(source, table, locator, reason, raw)
                continue
            try:
                value = json.loads(text)
            except json.JSONDecodeError as exc:
                reason = f"{locator} is not valid JSON: {exc.msg} (column {exc.colno})"
                yield locator, _reject(source, table, locator, reason, raw_json(text))
                continue
            yield from _expand(value, locator)
    except _READ_ERRORS as exc:  # a truncated .gz: keep what was read, report the rest
        locator = f"line {number + 1}"
        reason = f"the file could not be read beyond line {number}: {exc}"
        yield locator, _reject(source, table, locator, reason, "")


def _read_document(source: str, table: str, data: bytes) -> Iterator[tuple[str, object]]:
    try:
        text = _decode(data)
    except UnicodeDecodeError as exc:
        reason = f"the file is not valid UTF-8: {exc.reason} at byte {exc.start}"
        yield "file", _reject(source, table, "file", reason, "")
        return
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        lines = [(n, line.encode()) for n, line in enumerate(text.splitlines(), start=1)]
        if any(_is_container(line) for _, line in lines):
            yield from _read_lines(source, table, lines)
            return
        locator = f"line {exc.lineno}"
        reason = (
            f"the file is neither JSON nor JSON Lines: {exc.msg} at line {exc.lineno} "
            f"column {exc.colno}"
        )
        lines_of_text = text.splitlines()
        offending = lines_of_text[exc.lineno - 1] if exc.lineno <= len(lines_of_text) else ""
        yield locator, _reject(source, table, locator, reason, raw_json(offending))
        return
    yield from _expand(document, "")


def _is_container(line: bytes) -> bool:
    try:
        return isinstance(json.loads(_decode(line)), dict | list)
    except (ValueError, UnicodeDecodeError):
        return False


def _items(value: object) -> list[Any] | None:
    if isinstance(value, list):
        return value
    if (
        isinstance(value, dict)
        and isinstance(value.get("results"), list)
        and set(value) <= _PAGE_KEYS
    ):
        return value["results"]
    return None


def _expand(value: object, prefix: str) -> Iterator[tuple[str, object]]:
    items = _items(value)
    if items is None:
        yield prefix or "record 1", value
        return
    for index, item in enumerate(items, start=1):
        yield f"{prefix} record {index}".strip(), item


def _reject(source: str, table: str, locator: str, reason: str, raw: str) -> Reject:
    return Reject(
        table=table, source_file=source, locator=locator, field=None, reason=reason, raw=raw
    )

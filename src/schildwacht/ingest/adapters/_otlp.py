"""Reading Logboek Dataverwerkingen lines and access-decision records (STANDARDS.md §1).

LDV lines arrive as OpenTelemetry spans in several dialects: OTLP/JSON as a Collector file
exporter writes it (``resourceSpans`` → ``scopeSpans`` → ``spans``), flat LDV 1.0 lines
(``trace_id``, ``span_id``, ``start_time`` in ms), flat 0.7 lines (``operation_id``,
``status_code``), and code-sprint files that wrap ids in ``"context"``. This module turns every
dialect into one ``Span`` shape, so the adapter's join and collapsing logic sees no dialects.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import Any

from schildwacht.ingest.adapters._common import Fields, as_text, norm_key

_HEX = re.compile(r"^[0-9a-fA-F]+$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$")
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_OK = frozenset({"0", "1", "ok", "unset", "unknown"})
_ERROR = frozenset({"2", "error"})
_ALLOWED = frozenset({"true", "permit", "allow"})
_PROCESSING_ACTIVITY = ("dpl.core.processing_activity_id", "dpl.core.procsssing_activity_id")
_SUBJECT_ID = "dpl.core.data_subject_id"
_SUBJECT_TYPE = "dpl.core.data_subject_id_type"


@dataclass
class Span:
    """One Logboek line, whatever dialect it came in; ids normalised, time as contract text."""

    source_file: str
    locator: str
    trace_id: str | None
    span_id: str | None
    parent_span_id: str | None
    name: str | None
    start: str | None
    outcome: str | None  # "ok", "error", or None for a status spelling we do not know
    service: str | None
    attributes: dict[str, Any]  # keys normalised by norm_key
    raw: dict[str, Any]

    @cached_property
    def fields(self) -> Fields:
        """The attributes, read tolerantly."""
        return Fields(self.attributes)

    @property
    def is_ldv(self) -> bool:
        """True for a processing line: it carries at least one ``dpl.*`` attribute.

        A collector that exports all traces also writes framework spans (HTTP handlers, database
        calls); they are not processings of personal data and must not become events.
        """
        return any(key.startswith("dpl.") for key in self.attributes)

    @property
    def processing_activity(self) -> str | None:
        """``dpl.core.processing_activity_id`` (or its 2024 misspelling, or an extension's)."""
        found = self.fields.text(*_PROCESSING_ACTIVITY)
        if found is not None:
            return found
        for key, value in self.attributes.items():
            if key.startswith("dpl.") and key.endswith(".processingactivityid"):
                text = as_text(value)
                if text is not None:
                    return text
        return None

    def subject(self) -> tuple[str, Any]:
        """(kind, id): kind is ``none``, ``bsn``, ``other`` (not a citizen) or ``untyped``."""
        fields = self.fields
        subject_id = fields.get(_SUBJECT_ID)
        if subject_id is None:
            return "none", None
        kind = fields.folded(_SUBJECT_TYPE)
        if kind is None:
            return "untyped", subject_id
        return ("bsn" if kind == "bsn" else "other"), subject_id


@dataclass
class Decision:
    """One access-decision record: who asked, and whether it was allowed."""

    trace_id: str | None
    span_id: str | None
    user: str | None
    allowed: bool | None  # None when the record does not say


def read_spans(value: object, source_file: str, locator: str) -> list[Span] | None:
    """The spans in one JSON value (an OTLP document or a flat line); None if it is neither."""
    doc = Fields(value)
    if doc.has("resourceSpans"):
        spans: list[Span] = []
        for resource_spans in doc.items("resourceSpans"):
            rs = Fields(resource_spans)
            service = _service(rs.get("resource"))
            for scope in rs.items("scopeSpans", "instrumentationLibrarySpans"):
                for span in Fields(scope).items("spans"):
                    spans.append(_span(span, service, source_file, locator))
        return spans
    context = doc.sub("context")
    if (doc.has("traceId") or context.has("traceId")) and isinstance(value, dict):
        return [_span(value, _service(doc.get("resource")), source_file, locator)]
    return None


def read_decision(value: object) -> Decision | None:
    """An access-decision record (VNG authorization-decision-log); None if it is not one."""
    record = Fields(value)
    if not (record.has("request") and record.has("response")):
        return None
    decision = record.sub("response").folded("decision")
    return Decision(
        trace_id=normalise_id(record.get("trace_id")),
        span_id=normalise_id(record.get("span_id")),
        user=record.sub("request").sub("subject").text("id"),
        allowed=None if decision is None else decision in _ALLOWED,
    )


def _span(span: Any, service: str | None, source_file: str, locator: str) -> Span:
    fields = Fields(span)
    context = fields.sub("context")
    attributes = attributes_of(fields.get("attributes"))
    trace_id = normalise_id(fields.get("traceId") or context.get("traceId"))
    span_id = normalise_id(
        fields.get("spanId", "operation_id") or context.get("spanId", "operation_id")
    )
    if trace_id and span_id:
        locator = f"{locator}, span {trace_id}:{span_id}"
    status = fields.get("status")
    if status is None or (isinstance(status, dict) and not status):
        status = fields.get("status_code")
    return Span(
        source_file=source_file,
        locator=locator,
        trace_id=trace_id,
        span_id=span_id,
        parent_span_id=normalise_id(fields.get("parentSpanId", "parent_operation_id", "parentId")),
        name=fields.text("name"),
        start=to_iso_z(fields.get("startTimeUnixNano", "start_time", "startTime")),
        outcome=outcome_of(status),
        service=service or Fields(attributes).text("service.name"),
        attributes=attributes,
        raw=span if isinstance(span, dict) else {"span": span},
    )


def _service(resource: Any) -> str | None:
    """``service.name`` from an OTLP resource; 0.7 lines have ``resource{name, version}``."""
    fields = Fields(resource)
    if fields.has("attributes"):
        return Fields(attributes_of(fields.get("attributes"))).text("service.name")
    return Fields(attributes_of(resource)).text("service.name") or fields.text("name")


def attributes_of(value: Any) -> dict[str, Any]:
    """Attributes as a list of ``{key, value:{stringValue|…}}``, an object or a map of AnyValues."""
    result: dict[str, Any] = {}
    if isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and "key" in item:
                result.setdefault(norm_key(str(item["key"])), any_value(item.get("value")))
    elif isinstance(value, dict):
        for key, item in value.items():
            result.setdefault(norm_key(str(key)), any_value(item))
    return result


def any_value(value: Any) -> Any:
    """Unwrap an OTLP ``AnyValue`` (``{"stringValue": "x"}`` → ``"x"``); plain values pass."""
    if not (isinstance(value, dict) and len(value) == 1):
        return value
    ((key, inner),) = value.items()
    kind = norm_key(key)
    if kind in ("stringvalue", "boolvalue", "doublevalue", "bytesvalue"):
        return inner
    if kind == "intvalue":
        return int(inner) if isinstance(inner, str) and inner.lstrip("-").isdigit() else inner
    if kind == "arrayvalue":
        return [any_value(item) for item in Fields(inner).items("values")]
    if kind == "kvlistvalue":
        return attributes_of(Fields(inner).items("values"))
    return value


def normalise_id(value: Any) -> str | None:
    """A trace or span id as lower-case hex; accepts upper case, UUID form and base64.

    An all-zero id is the OTLP way of saying "no parent" and becomes None, like ``""``. An id in
    an encoding we do not recognise is kept as written: ids are opaque, and guessing would
    merge different spans.
    """
    text = as_text(value)
    if text is None:
        return None
    if _UUID.match(text):
        text = text.replace("-", "")
    text = text.lower() if _HEX.match(text) else (_from_base64(text) or text)
    return None if set(text) == {"0"} else text


def _from_base64(text: str) -> str | None:
    padded = text + "=" * (-len(text) % 4)
    for decode in (base64.b64decode, base64.urlsafe_b64decode):
        try:
            raw = decode(padded.encode("ascii"))
        except (binascii.Error, ValueError, UnicodeEncodeError):
            continue
        if len(raw) in (8, 16):
            return raw.hex()
    return None


def to_iso_z(value: Any) -> str | None:
    """A span time as ISO 8601 in UTC with ``Z`` (milliseconds kept when not zero).

    Numbers (or numeric strings) are read by magnitude, since dialects differ: ~1.7e9 seconds,
    ~1.7e12 ms (LDV), ~1.7e15 µs (seen in code-sprint files labelled ns), ~1.7e18 ns (OTLP).
    ISO strings with an offset are converted to UTC; without one they are contract local time
    and kept as written; anything else is passed on for the pipeline to quarantine.
    """
    text = as_text(value)
    if text is None:
        return None
    if not _NUMBER.match(text):
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return text
        return text if moment.tzinfo is None else _format_utc(moment.astimezone(UTC))
    number = float(text)
    if number == 0:
        return None  # OTLP writes 0 for "not set"
    if number < 1e11:
        micros = round(number * 1e6)
    elif number < 1e14:
        micros = round(number * 1e3)
    elif number < 1e17:
        micros = int(text.split(".")[0])
    else:
        micros = int(text.split(".")[0]) // 1000
    return _format_utc(_EPOCH + timedelta(microseconds=micros))


def _format_utc(moment: datetime) -> str:
    millis = moment.microsecond // 1000
    fraction = f".{millis:03d}" if millis else ""
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + fraction + "Z"


def outcome_of(status: Any) -> str | None:
    """Span status → contract outcome: Unset/Ok → ``ok``, Error → ``error``.

    Accepts ``{"code": 1}``, ``{"statusCode": "STATUS_CODE_OK"}``, ``"Ok"``, ``"error"``,
    ``"OK"``, 0/1/2 and the 0.7 ``STATUS_CODE_UNKNOWN``. No status at all means Unset.
    """
    code = (
        Fields(status).get("code", "statusCode", "status_code")
        if isinstance(status, dict)
        else status
    )
    if code is None:
        return "ok"
    text = (as_text(code) or "").casefold().removeprefix("status_code_")
    if text in _OK:
        return "ok"
    if text in _ERROR:
        return "error"
    return None

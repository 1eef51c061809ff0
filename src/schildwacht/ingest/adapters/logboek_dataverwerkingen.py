"""Logius Logboek Dataverwerkingen (LDV) spans + VNG access decisions → ``events`` (STANDARDS §1).

LDV deliberately does not record who acted. The employee comes from the VNG authorisation
decision log, joined on ``trace_id`` first and on ``span_id`` when one matches (the decision is
usually taken at the entry point of a trace, not in the span that touches the person). A span
without a decision record naming a user is rejected: guessing the user by time would blame
the wrong employee.

Why the mapping looks the way it does:

- ``event_id`` is ``<trace_id>:<span_id>`` in lower-case hex, whatever encoding the exporter
  used, so that re-delivery in another encoding is recognised as a duplicate.
- ``status`` Error is *kept* as an event with ``outcome=error`` (STANDARDS.md suggests skipping
  such lines; the contract has an ``outcome`` column, and a failed attempt to open a record is
  still an attempt). A decision record that refused access gives ``outcome=denied``.
- A processing that touches several people has one child line per person under the original
  action (``parent_span_id``). Under a *search* action the children are collapsed the way the
  contract describes searches: one result → one ``search`` event with that subject; several →
  one ``search`` event without subject and ``result_count`` = n. Children of another action stay
  events of their own (an export of five people is five accesses). Siblings whose parent line is
  missing are collapsed too when there are at least two and all are searches.
- Only ``dpl.core.data_subject_id_type`` BSN is a citizen. Another type (``personeelsnummer``, a
  register URI) is not a citizen access: counted in ``non_citizen_subject``, not emitted. A
  subject without a type cannot be classified and is rejected.

Accounting. An *input record* is one span (every span in every ``resourceSpans``/``scopeSpans``,
or one flat line), one access-decision record, or one value that is neither (invalid JSON, not an
object). Each becomes exactly one of: an ``events`` row, a ``Reject``, or one unit in
``auxiliary``: ``decision_records`` (used only to name users), ``non_ldv_span`` (no ``dpl.*``
attribute: framework spans), ``non_citizen_subject``, ``search_result_collapsed`` (child lines
merged into their search's event).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from schildwacht.contract import EVENTS
from schildwacht.ingest.adapters._common import (
    Fields,
    SystemNames,
    action_from_names,
    bsn_text,
    count,
    local_day,
    unknown_account_reason,
)
from schildwacht.ingest.adapters._otlp import Decision, Span, read_decision, read_spans
from schildwacht.ingest.adapters._reading import first_record, load_json_values
from schildwacht.ingest.adapters.base import (
    AdapterContext,
    AdapterOutput,
    Reject,
    SourceRecord,
    Value,
    raw_json,
)

FORMAT = "logboek-dataverwerkingen"
ROLES = ("spans", "decisions")
TABLES = ("events",)
_TABLE = "events"
_MIN_ORPHAN_SEARCH = 2


def sniff(first: object) -> str | None:
    """``"spans"`` for OTLP documents or flat LDV lines, ``"decisions"`` for decision records."""
    record = Fields(first_record(first))
    if record.has("resourceSpans"):
        return "spans"
    if record.has("request") and record.has("response"):
        return "decisions"
    context = record.sub("context")
    has_trace = record.has("traceId") or context.has("traceId")
    if has_trace and (record.has("spanId", "operation_id") or context.has("spanId")):
        return "spans"
    return None


def convert(files: dict[str, list[Path]], ctx: AdapterContext) -> AdapterOutput:
    """Join every ``spans`` file with every ``decisions`` file of the run; see the module doc."""
    out = AdapterOutput()
    decisions = _Decisions()
    for path in files.get("decisions", []):
        for locator, value in load_json_values(path, table=_TABLE):
            _read_decision(out, decisions, value, str(path), locator)
    spans: list[Span] = []
    for path in files.get("spans", []):
        for locator, value in load_json_values(path, table=_TABLE):
            if isinstance(value, Reject):
                out.rejects.append(value)
                continue
            found = read_spans(value, str(path), locator)
            if found is None:
                reason = "neither an OTLP document (resourceSpans) nor a Logboek line (trace_id)"
                out.rejects.append(
                    Reject(_TABLE, str(path), locator, None, reason, raw_json(value))
                )
            else:
                spans.extend(found)
    _Builder(ctx, out, decisions).build(spans)
    traces = {span.trace_id for span in spans}
    unmatched = sum(
        len(found) for trace, found in decisions.by_trace.items() if trace not in traces
    )
    if unmatched:
        out.notes.append(
            f"{unmatched} access-decision record(s) belong to no trace in the Logboek files (a "
            "request refused before any processing leaves only a decision record)."
        )
    return out


def _read_decision(
    out: AdapterOutput, decisions: _Decisions, value: object, source: str, locator: str
) -> None:
    if isinstance(value, Reject):
        out.rejects.append(value)
        return
    decision = read_decision(value)
    if decision is None or decision.trace_id is None:
        field, what = ("trace_id", "has no trace_id") if decision else (None, "is not a decision")
        reason = f"the record {what}: it cannot be joined to a Logboek line"
        out.rejects.append(Reject(_TABLE, source, locator, field, reason, raw_json(value)))
        return
    decisions.add(decision)
    count(out, "decision_records")


class _Decisions:
    """Access decisions indexed for the join: by (trace, span) and by trace."""

    def __init__(self) -> None:
        self.by_span: dict[tuple[str, str], list[Decision]] = defaultdict(list)
        self.by_trace: dict[str, list[Decision]] = defaultdict(list)

    def add(self, decision: Decision) -> None:
        assert decision.trace_id is not None
        self.by_trace[decision.trace_id].append(decision)
        if decision.span_id:
            self.by_span[(decision.trace_id, decision.span_id)].append(decision)

    def user_of(self, trace_id: str, span_ids: list[str]) -> tuple[str, bool] | str:
        """(user, denied) for a line, or the reason no single user can be named."""
        for span_id in span_ids:
            found = self.by_span.get((trace_id, span_id))
            if found:
                return self._one(found, trace_id, span_ids[0])
        found = self.by_trace.get(trace_id)
        if not found:
            return (
                f"no access-decision record names the user of trace {trace_id} span "
                f"{span_ids[0]}: the Logboek does not record users and the user is not guessed "
                "by time; deliver the decision log that covers this trace"
            )
        return self._one(found, trace_id, span_ids[0])

    def _one(self, found: list[Decision], trace_id: str, span_id: str) -> tuple[str, bool] | str:
        named = [d for d in found if d.user]
        users = sorted({d.user for d in named if d.user})
        if not users:
            return (
                f"the access-decision record(s) of trace {trace_id} span {span_id} have no "
                "request.subject.id, so no user can be named"
            )
        if len(users) > 1:
            return (
                f"the access-decision records of trace {trace_id} name several users "
                f"({', '.join(users)}) and none matches span {span_id}: the user is ambiguous"
            )
        return users[0], all(d.allowed is False for d in named)


class _Builder:
    """Groups spans into events (single lines and collapsed searches) and names their users."""

    def __init__(self, ctx: AdapterContext, out: AdapterOutput, decisions: _Decisions) -> None:
        self.ctx = ctx
        self.out = out
        self.decisions = decisions
        self.systems = SystemNames(ctx.source_system_names)

    def build(self, spans: list[Span]) -> None:
        lines: list[Span] = []
        for span in spans:
            if not span.is_ldv:
                count(self.out, "non_ldv_span")
            elif span.trace_id is None or span.span_id is None:
                missing = "trace_id" if span.trace_id is None else "span_id"
                reason = f"the line has no {missing}: its event cannot be identified"
                self._reject(span, missing, reason)
            else:
                lines.append(span)
        by_id = {(s.trace_id, s.span_id): s for s in lines}
        children: dict[tuple[str, str], list[Span]] = defaultdict(list)
        for span in lines:
            if span.parent_span_id:
                children[(span.trace_id or "", span.parent_span_id)].append(span)
        done: set[int] = set()
        for (trace_id, parent_id), kids in children.items():
            parent = by_id.get((trace_id, parent_id))
            if parent is not None and _own_action(parent) == "search":
                members = [parent, *kids]
            elif (
                parent is None
                and len(kids) >= _MIN_ORPHAN_SEARCH
                and all(_own_action(k) == "search" for k in kids)
                and not any((trace_id, k.span_id) in children for k in kids)
            ):
                members = kids
            else:
                continue
            self._search(parent, kids, trace_id, parent_id)
            done.update(id(m) for m in members)
        for span in lines:
            if id(span) not in done:
                parent = by_id.get((span.trace_id, span.parent_span_id or ""))
                self._single(span, parent)

    def _single(self, span: Span, parent: Span | None) -> None:
        kind, subject = span.subject()
        if kind == "other":
            count(self.out, "non_citizen_subject")
            return
        if kind == "untyped":
            self._reject(span, "dpl.core.data_subject_id_type", _UNTYPED)
            return
        action = _own_action(span) or (_own_action(parent) if parent else None) or "view"
        bsn = bsn_text(subject) if kind == "bsn" else None
        self._emit(span, [span.span_id or ""], f"{span.trace_id}:{span.span_id}", action, bsn)

    def _search(self, parent: Span | None, kids: list[Span], trace_id: str, parent_id: str) -> None:
        """One search event for a parent line (present or not) and its per-person lines."""
        results: list[Span] = []  # the lines the event stands for (citizens or no subject)
        bsns: list[object] = []
        others = 0
        for kid in kids:
            kind, subject = kid.subject()
            if kind == "untyped":
                self._reject(kid, "dpl.core.data_subject_id_type", _UNTYPED)
            elif kind == "other":
                others += 1
            else:
                results.append(kid)
                if kind == "bsn":
                    bsns.append(subject)
        count(self.out, "non_citizen_subject", others)
        head = parent or (results[0] if results else None)
        if head is None:
            return
        count(self.out, "search_result_collapsed", len(results) - (parent is None))
        own_kind, own_subject = parent.subject() if parent else ("none", None)
        if not bsns and others and own_kind != "bsn":
            count(self.out, "non_citizen_subject")  # a search that found non-citizens only
            return
        found: object = None
        if len(bsns) == 1:
            found = bsns[0]
        elif not bsns and own_kind == "bsn":
            found = own_subject  # the search line itself names the one person it found
        span_ids = [parent_id, *(k.span_id or "" for k in kids)]
        bsn = bsn_text(found) if found is not None else None
        self._emit(head, span_ids, f"{trace_id}:{parent_id}", "search", bsn, str(len(bsns)))

    def _emit(
        self,
        head: Span,
        span_ids: list[str],
        event_id: str,
        action: str,
        subject_bsn: str | None,
        result_count: str | None = None,
    ) -> None:
        """One event from ``head``, with its user from the decision log, or a reject."""
        if head.service is None:
            reason = "no service.name in the resource: the application that logged it is unknown"
            self._reject(head, "service.name", reason)
            return
        system = self.systems(head.service)
        found = self.decisions.user_of(head.trace_id or "", span_ids)
        if isinstance(found, str):
            self._reject(head, "employee_id", found)
            return
        account, denied = found
        day = local_day(head.start)
        employee = self.ctx.account_map.lookup(system, account, day)
        if employee is None:
            reason = unknown_account_reason(self.ctx.account_map, system, account, day)
            self._reject(head, "employee_id", reason)
            return
        outcome = head.outcome
        if outcome == "ok" and denied:
            outcome = "denied"
        values: dict[str, Value] = dict.fromkeys(EVENTS.column_names)
        values.update(
            event_id=event_id,
            occurred_at=head.start,
            source_system=system,
            employee_id=employee,
            action=action,
            subject_bsn=subject_bsn,
            processing_activity=head.processing_activity,
            result_count=result_count,
            outcome=outcome,
        )
        self.out.records.append(
            SourceRecord(_TABLE, head.source_file, head.locator, values, raw_json(head.raw))
        )

    def _reject(self, span: Span, field: str, reason: str) -> None:
        self.out.rejects.append(
            Reject(_TABLE, span.source_file, span.locator, field, reason, raw_json(span.raw))
        )


_UNTYPED = (
    "dpl.core.data_subject_id without dpl.core.data_subject_id_type: it cannot be told whether "
    "the subject is a citizen (BSN); have the application log the type"
)


def _own_action(span: Span) -> str | None:
    return action_from_names(span.name)

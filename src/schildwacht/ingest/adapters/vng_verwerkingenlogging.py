"""VNG Verwerkingenlogging ``verwerkingsacties`` → contract ``events`` (STANDARDS.md §2).

Input is what the Bewerking API returns (one object, an array, a ``results`` page), a JSONL
log, or a store dump wrapped in ``{"Items": [...]}`` (GemeenteNijmegen/verwerkingenlogging).

Why the mapping looks the way it does:

- The contract has one event per (action, person); a ``verwerkingsactie`` lists its people in
  ``verwerkteObjecten``. An action about one person keeps ``actieId`` as ``event_id``; an action
  about several gets ``<actieId>:<objectId>`` per person.
- Search results are logged as objects with ``betrokkenheid`` "Getoond in zoekresultaat" and the
  chosen person is deliberately not marked (C4081), so they collapse into one ``search`` event:
  with the subject when one person was shown, without it (``result_count`` = n) when several.
- The store is append-only but logically mutable (B3891): versions of one ``actieId`` are
  grouped, the latest by ``tijdstipRegistratie`` wins (file order breaks ties), and a latest
  version flagged ``vervallen`` withdraws the action. Both are counted, never silently lost.
- ``gebruiker`` is optional at the municipality's choice (B9207); without it, or with an account
  the account map does not know, no employee can be named and the event is rejected.

Accounting. An *input record* is one object of ``verwerkteObjecten`` of one delivered action
version; a version without objects, and a value that is not an action at all (invalid JSON, not
an object), count as one input record each. Every input record becomes exactly one of: an
``events`` row, a ``Reject``, or one unit in ``auxiliary``: ``superseded`` and ``vervallen``
(objects of dropped versions), ``non_person_object``, ``search_result_collapsed`` (shown search
results beyond the one the search event stands for).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from schildwacht.contract import EVENTS
from schildwacht.ingest.adapters._common import (
    Fields,
    SystemNames,
    action_from_names,
    as_text,
    bsn_text,
    count,
    is_true,
    local_day,
    parse_instant,
    unknown_account_reason,
)
from schildwacht.ingest.adapters._reading import first_record, load_json_values
from schildwacht.ingest.adapters.base import (
    AdapterContext,
    AdapterOutput,
    Reject,
    SourceRecord,
    Value,
    raw_json,
)

FORMAT = "vng-verwerkingenlogging"
ROLES = ("acties",)
TABLES = ("events",)
_TABLE = "events"
SEARCH_RESULT = "getoond in zoekresultaat"

DATA_CATEGORIES: dict[str, str] = {
    "bsn": "bsn",
    "burgerservicenummer": "bsn",
    "naam": "basis",
    "voornamen": "basis",
    "geslachtsnaam": "basis",
    "geboortedatum": "basis",
    "geslacht": "basis",
    "nationaliteit": "basis",
    "telefoonnummer": "basis",
    "e-mailadres": "basis",
    "adres": "adres",
    "verblijfplaats": "adres",
    "woonadres": "adres",
    "briefadres": "adres",
    "postcode": "adres",
    "inkomen": "financieel",
    "uitkering": "financieel",
    "vermogen": "financieel",
    "schulden": "financieel",
    "bankrekeningnummer": "financieel",
    "iban": "financieel",
    "gezondheid": "gezondheid",
    "medische gegevens": "gezondheid",
    "zorgindicatie": "gezondheid",
    "strafrechtelijke gegevens": "strafrechtelijk",
    "justitiële gegevens": "strafrechtelijk",
    "jeugdhulp": "jeugd",
}
"""``soortGegeven`` (case-insensitive) → contract data category. An unknown ``soortGegeven`` is
kept lower-cased rather than dropped: ``data_categories`` is an open list and a lost category
cannot be recovered later."""

_EARLIEST = datetime.min.replace(tzinfo=UTC)


def sniff(first: object) -> str | None:
    """``"acties"`` when ``first`` is a verwerkingsactie (or a page/dump of them), else None."""
    fields = Fields(first_record(first))
    if fields.has("actieId") or (
        fields.has("verwerkteObjecten") and fields.has("tijdstip", "actieNaam")
    ):
        return "acties"
    wrapped = fields.items("Items")
    return sniff(wrapped[0]) if wrapped else None


def convert(files: dict[str, list[Path]], ctx: AdapterContext) -> AdapterOutput:
    """Map every ``acties`` file of one run onto ``events`` (see the module docstring)."""
    out = AdapterOutput()
    groups: dict[str, list[_Version]] = {}
    sequence = 0
    for path in files.get("acties", []):
        for locator, value in _values(path):
            if isinstance(value, Reject):
                out.rejects.append(value)
            elif not isinstance(value, dict):
                reason = "the record is not a JSON object (a verwerkingsactie)"
                out.rejects.append(
                    Reject(_TABLE, str(path), locator, None, reason, raw_json(value))
                )
            else:
                version = _Version(str(path), locator, value, Fields(value), sequence)
                sequence += 1
                key = version.actie_id or f"\x00{locator}@{path}"
                groups.setdefault(key, []).append(version)
    mapper = _Mapper(ctx, out)
    for versions in groups.values():
        latest = max(versions, key=_registration_order)
        count(out, "superseded", sum(v.units for v in versions if v is not latest))
        if is_true(latest.fields.get("vervallen")):
            count(out, "vervallen", latest.units)
        else:
            mapper.emit(latest)
    if not len(ctx.account_map) and any(r.field == "gebruiker" for r in out.rejects):
        out.notes.append("No account map was given: no gebruiker could be mapped to an employee.")
    return out


@dataclass
class _Version:
    """One delivered version of a verwerkingsactie, with where it came from."""

    source_file: str
    locator: str
    record: dict[str, Any]
    fields: Fields
    order: int

    @cached_property
    def actie_id(self) -> str | None:
        """The action's id: versions with the same id are one logically mutable action."""
        return self.fields.text("actieId")

    @property
    def units(self) -> int:
        """Input records this version stands for (see the module docstring)."""
        return max(1, len(self.fields.items("verwerkteObjecten")))


def _values(path: Path) -> Iterator[tuple[str, object]]:
    """The file's values, with a store dump's ``{"Items": [...]}`` unpacked."""
    for locator, value in load_json_values(path, table=_TABLE):
        items = value.get("Items", value.get("items")) if isinstance(value, dict) else None
        if isinstance(items, list) and isinstance(value, dict) and "actieId" not in value:
            for index, item in enumerate(items, start=1):
                yield f"{locator}, item {index}", item
        else:
            yield locator, value


def _registration_order(version: _Version) -> tuple[datetime, int]:
    registered = parse_instant(version.fields.text("tijdstipRegistratie"))
    return registered or _EARLIEST, version.order


class _Mapper:
    """Turns the surviving version of each action into rows or rejects."""

    def __init__(self, ctx: AdapterContext, out: AdapterOutput) -> None:
        self.ctx = ctx
        self.out = out
        self.systems = SystemNames(ctx.source_system_names)
        self.zaken = {uuid.lower(): ident for uuid, ident in ctx.zaak_uuid_map.items()}

    def emit(self, version: _Version) -> None:
        drafts = self._drafts(version)
        if not drafts:
            return
        raw = raw_json(version.record)
        common = self._common(version)
        for locator, values in drafts:
            if isinstance(common, tuple):
                field, reason = common
                self.out.rejects.append(
                    Reject(_TABLE, version.source_file, locator, field, reason, raw)
                )
            else:
                row = {**common, **values}
                self.out.records.append(
                    SourceRecord(_TABLE, version.source_file, locator, row, raw)
                )

    def _common(self, version: _Version) -> dict[str, Value] | tuple[str, str]:
        """Values shared by every row of the action, or (field, reason) when there are none."""
        fields = version.fields
        if version.actie_id is None:
            return "actieId", "no 'actieId': the action cannot be identified (no event_id)"
        raw_system = fields.text("systeem")
        if raw_system is None:
            return "systeem", (
                "no 'systeem': the application that logged the action is unknown (the Inzage "
                "API leaves it out; read the Bewerking API or the log store instead)"
            )
        system = self.systems(raw_system)
        account = fields.text("gebruiker")
        if account is None:
            return "gebruiker", (
                "no 'gebruiker': this municipality does not fill the user of a "
                "verwerkingsactie (optional by design decision B9207), so no employee can be "
                f"named; have {raw_system!r} log gebruiker"
            )
        occurred_at = fields.text("tijdstip")
        day = local_day(occurred_at)
        employee = self.ctx.account_map.lookup(system, account, day)
        if employee is None:
            return "gebruiker", unknown_account_reason(self.ctx.account_map, system, account, day)
        values: dict[str, Value] = dict.fromkeys(EVENTS.column_names)
        values.update(
            occurred_at=occurred_at,
            source_system=system,
            employee_id=employee,
            processing_activity=fields.text("verwerkingsactiviteitId", "verwerkingsactiviteitUrl"),
            case_id=self.zaken.get((fields.text("verwerkingId") or "").lower()),
            vertrouwelijkheid=fields.folded("vertrouwelijkheid"),
            bewaartermijn=_retention(fields.get("bewaartermijn")),
            tijdstip_registratie=fields.text("tijdstipRegistratie"),
        )
        return values

    def _drafts(self, version: _Version) -> list[tuple[str, dict[str, Value]]]:
        """Per-row values (id, action, subject) for the action's objects; counts the rest."""
        fields = version.fields
        actie_id = version.actie_id or ""
        names = (fields.text(key) for key in ("actieNaam", "handelingNaam", "verwerkingNaam"))
        action = action_from_names(*names) or "view"
        objects = fields.items("verwerkteObjecten")
        if not objects:
            return [(version.locator, {"event_id": actie_id, "action": action})]
        people: list[tuple[int, Fields]] = []
        shown: list[Fields] = []
        for index, obj in enumerate(objects, start=1):
            entry = Fields(obj)
            if not _is_person(entry):
                count(self.out, "non_person_object")
            elif entry.folded("betrokkenheid") == SEARCH_RESULT:
                shown.append(entry)
            else:
                people.append((index, entry))
        single = len(people) + bool(shown) == 1
        drafts: list[tuple[str, dict[str, Value]]] = []
        for index, entry in people:
            event_id = actie_id if single else f"{actie_id}:{entry.text('objectId') or index}"
            locator = version.locator if single else f"{version.locator}, object {index}"
            values: dict[str, Value] = {"event_id": event_id, "action": action}
            values.update(_subject(entry))
            values["data_categories"] = _categories([entry])
            drafts.append((locator, values))
        if shown:
            count(self.out, "search_result_collapsed", len(shown) - 1)
            values = {"event_id": actie_id, "action": "search", "result_count": str(len(shown))}
            if len(shown) == 1:
                values.update(_subject(shown[0]))
            values["data_categories"] = _categories(shown)
            locator = version.locator if single else f"{version.locator}, search result"
            drafts.append((locator, values))
        return drafts


def _is_person(entry: Fields) -> bool:
    """``objecttype`` persoon in any case; a BSN without an objecttype also names a person."""
    kind = entry.folded("objecttype")
    return kind == "persoon" or (kind is None and entry.folded("soortObjectId") == "bsn")


def _subject(entry: Fields) -> dict[str, Value]:
    """``subject_bsn`` for a BSN; another person number is kept in extra columns instead."""
    if entry.folded("soortObjectId") == "bsn":
        return {"subject_bsn": bsn_text(entry.get("objectId"))}
    return {
        "subject_id": as_text(entry.get("objectId")),
        "subject_id_type": entry.text("soortObjectId"),
    }


def _categories(entries: list[Fields]) -> list[str] | None:
    categories: list[str] = []
    for entry in entries:
        for item in entry.items("verwerkteSoortenGegevens"):
            name = Fields(item).text("soortGegeven") if isinstance(item, dict) else as_text(item)
            if name is None:
                continue
            category = DATA_CATEGORIES.get(name.casefold(), name.casefold())
            if category not in categories:
                categories.append(category)
    return categories or None


def _retention(value: Any) -> str | None:
    """``bewaartermijn`` as an ISO 8601 duration; a bare number is years (``150`` → ``P150Y``)."""
    text = as_text(value)
    return f"P{text}Y" if text is not None and text.isdigit() else text

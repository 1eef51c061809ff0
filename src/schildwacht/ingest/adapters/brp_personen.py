"""Haal Centraal BRP API Personen 2.7.0 → contract ``citizens`` and ``relations`` (STANDARDS §4).

The citizens and their family ties are the context that makes an access suspicious (a look-up
of one's ex-partner, a neighbour, a confidential record). Input is a ``POST /personen``
response (``{"type": …, "personen": [...]}``), an array of ``Persoon``, or JSONL of either.

Why the mapping looks the way it does:

- ``geboorte.datum`` and ``overlijden.datum`` are ``AbstractDatum``: only ``type=Datum`` has a
  full date; a year or year-month is not turned into a guessed day. (A plain ``YYYY-MM-DD``
  string is accepted too.) A death without a full date is reported in a note, because the
  row then reads as alive.
- ``house_number`` joins huisnummer, huisletter and ``-`` + huisnummertoevoeging (``12``,
  ``12A``, ``12-2``, ``12A-2``), the contract's spelling, so addresses compare as text.
- ``geheimhoudingPersoonsgegevens`` is delivered only when set, so absent means false.
- ``relation`` says what ``related_bsn`` is to ``bsn``: a person's ``ouders`` are ``parent``,
  ``kinderen`` ``child``, ``partners`` ``partner`` or, once ``ontbindingHuwelijkPartnerschap``
  has a date, ``ex_partner``. Relatives without a BSN cannot be linked and are counted.
- Values are not validated here: a BSN failing the elfproef is quarantined by the pipeline.

Accounting. An *input record* is one ``Persoon`` plus one per entry of its ``partners``,
``ouders`` and ``kinderen``, or one value that is neither (invalid JSON, not an object); a
response wrapper is a container, not a record. Each becomes exactly one of: a ``citizens`` row
(the person), a ``relations`` row (a relative), a ``Reject``, or one unit in ``auxiliary``:
``relative_without_bsn``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from schildwacht.contract import CITIZENS, RELATIONS_TABLE
from schildwacht.ingest.adapters._common import Fields, as_text, bool_text, bsn_text, count
from schildwacht.ingest.adapters._reading import first_record, load_json_values
from schildwacht.ingest.adapters.base import (
    AdapterContext,
    AdapterOutput,
    Reject,
    SourceRecord,
    Value,
    raw_json,
)

FORMAT = "brp-personen"
ROLES = ("personen",)
TABLES = ("citizens", "relations")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PERSON_KEYS = ("naam", "geboorte", "verblijfplaats", "partners", "ouders", "kinderen")
_RELATIVES = (("ouders", "parent"), ("kinderen", "child"), ("partners", "partner"))


def sniff(first: object) -> str | None:
    """``"personen"`` for a BRP response or a ``Persoon``, else None."""
    record = Fields(first_record(first))
    if isinstance(record.get("personen"), list):
        return "personen"
    if record.has("burgerservicenummer") and record.has(*_PERSON_KEYS):
        return "personen"
    return None


def convert(files: dict[str, list[Path]], ctx: AdapterContext) -> AdapterOutput:
    """Map every ``personen`` file onto ``citizens`` and ``relations`` rows.

    ``ctx`` is not needed: BRP data names no employees and no source systems.
    """
    out = AdapterOutput()
    partial_deaths = 0
    for path in files.get("personen", []):
        source = str(path)
        for locator, value in _persons(path):
            if isinstance(value, Reject):
                out.rejects.append(value)
            elif not isinstance(value, dict):
                reason = "the record is not a JSON object (a Persoon or a BRP response)"
                out.rejects.append(
                    Reject("citizens", source, locator, None, reason, raw_json(value))
                )
            else:
                partial_deaths += _convert_person(out, value, source, locator)
    if partial_deaths:
        out.notes.append(
            f"{partial_deaths} person(s) died on an incompletely known date: deceased_on is "
            "empty for them, so they read as alive."
        )
    return out


def _persons(path: Path) -> Iterator[tuple[str, object]]:
    """Every ``Persoon`` in the file, with response wrappers unpacked."""
    for locator, value in load_json_values(path, table="citizens"):
        people = value.get("personen") if isinstance(value, dict) else None
        if isinstance(people, list):
            for index, person in enumerate(people, start=1):
                yield f"{locator}, persoon {index}", person
        else:
            yield locator, value


def _convert_person(out: AdapterOutput, person: dict[str, Any], source: str, locator: str) -> int:
    """Append the person's rows; returns 1 when a death date is incomplete (for the note)."""
    fields = Fields(person)
    raw = raw_json(person)
    bsn = bsn_text(fields.get("burgerservicenummer"))
    name = fields.sub("naam")
    address = _address(fields.sub("verblijfplaats"))
    death = fields.sub("overlijden")
    deceased_on = _full_date(death.get("datum"))
    citizen: dict[str, Value] = dict.fromkeys(CITIZENS.column_names)
    citizen.update(
        bsn=bsn,
        given_names=name.text("voornamen"),
        surname_prefix=name.text("voorvoegsel"),
        surname=name.text("geslachtsnaam"),
        birth_date=_full_date(fields.sub("geboorte").get("datum")),
        postcode=_postcode(address.text("postcode")),
        house_number=_house_number(address),
        confidential=bool_text(fields.get("geheimhoudingPersoonsgegevens")),
        deceased_on=deceased_on,
    )
    out.records.append(SourceRecord("citizens", source, locator, citizen, raw))
    for key, relation in _RELATIVES:
        for index, relative in enumerate(fields.items(key), start=1):
            entry = Fields(relative)
            related = bsn_text(entry.get("burgerservicenummer"))
            if related is None:
                count(out, "relative_without_bsn")
                continue
            dissolved = entry.sub("ontbindingHuwelijkPartnerschap").get("datum")
            tie = "ex_partner" if relation == "partner" and dissolved is not None else relation
            row: dict[str, Value] = dict.fromkeys(RELATIONS_TABLE.column_names)
            row.update(bsn=bsn, related_bsn=related, relation=tie)
            where = f"{locator}, {key} {index}"
            out.records.append(SourceRecord("relations", source, where, row, raw))
    return int(deceased_on is None and bool(death.get("datum")))


def _address(verblijfplaats: Fields) -> Fields:
    """The ``verblijfadres`` of a ``type=Adres`` verblijfplaats (else an empty object)."""
    kind = verblijfplaats.folded("type")
    if kind not in (None, "adres"):
        return Fields(None)
    return verblijfplaats.sub("verblijfadres")


def _full_date(value: Any) -> str | None:
    """An ``AbstractDatum``'s date when it is a full ``type=Datum``; partial dates stay empty."""
    if isinstance(value, dict):
        datum = Fields(value)
        return datum.text("datum") if datum.folded("type") == "datum" else None
    text = as_text(value)
    return text if text is not None and _DATE.match(text) else None


def _postcode(value: str | None) -> str | None:
    """``2511 BT`` → ``2511BT``."""
    return "".join(value.split()).upper() if value else None


def _house_number(address: Fields) -> str | None:
    number = address.text("huisnummer")
    if number is None:
        return None
    letter = address.text("huisletter") or ""
    addition = address.text("huisnummertoevoeging")
    return f"{number}{letter}" + (f"-{addition}" if addition else "")

"""ZGW Zaken API 1.5.1 ``zaken`` + ``rollen`` → contract ``cases`` (STANDARDS.md §3).

A case row says "this employee (or team) works on this case about this citizen", which is
what explains an access. The Zaken API spreads that over a ``Zaak`` and its ``Rol`` records, so
the adapter joins all ``zaken``, ``rollen`` (and ``zaakobjecten``) files of one run on the zaak
uuid, and resolves ``zaaktype`` URIs through optional Catalogi ``zaaktypen`` files.

Why the mapping looks the way it does:

- One row per (zaak, natural person): the contract's key is (case_id, subject_bsn). A person
  with two roles on one zaak (initiator and belanghebbende) is one row.
- The behandelaar (``medewerker`` role with ``omschrijvingGeneriek`` behandelaar) goes through
  the account map under the system name ``zaaksysteem`` (override with
  ``AdapterContext.source_system_names["zgw-zaken"]``). An unknown account does *not* reject
  the row: the case itself is true and still explains the team's accesses, and a lost case row
  would turn legitimate work into alerts. The row is written without ``assignee_employee_id``,
  the account is kept in the extra column ``assignee_account`` and a note lists the accounts.
  Several behandelaars: the most recently registered one (the contract holds one assignee).
- ``assignee_team`` is the organisational unit's ``naam`` (else its ``identificatie``), the
  closest to ``employees.team``; there is no team map in ``AdapterContext`` yet.
- ``startdatum`` is a date: ``opened_at`` is midnight local time, ``closed_at`` the end of the
  ``einddatum`` day (``T23:59:59``), both without offset (contract local time).
- The zaak uuid goes into the extra column ``zaak_uuid``; ``zaak_uuid_map`` gives the pipeline
  the uuid → identificatie map the VNG Verwerkingenlogging adapter needs for ``case_id``.

Accounting. An *input record* is one zaak, rol, zaakobject or zaaktype record, or one value
that is none of these (invalid JSON, not an object). Each becomes exactly one of: a ``cases``
row (a natural-person rol or zaakobject), a ``Reject`` (a rol for a zaak not delivered), or one
unit in ``auxiliary``: ``zaken`` (merged into rows), ``zaak_without_subject``,
``duplicate_zaak``, ``duplicate_subject``, ``natural_person_without_bsn``, ``assignee_role``,
``team_role``, ``other_role``, ``non_person_zaakobject``, ``zaaktypen``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from schildwacht.contract import CASES
from schildwacht.ingest.adapters._common import (
    Fields,
    bsn_text,
    count,
    last_path_segment,
    local_day,
    parse_instant,
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

FORMAT = "zgw-zaken"
ROLES = ("zaken", "rollen", "zaakobjecten", "zaaktypen")
TABLES = ("cases",)
DEFAULT_ACCOUNT_SYSTEM = "zaaksysteem"
_TABLE = "cases"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_EARLIEST = datetime.min.replace(tzinfo=UTC)


def sniff(first: object) -> str | None:
    """The role of a ZGW file from its first record: zaken, rollen, zaakobjecten or zaaktypen."""
    record = Fields(first_record(first))
    if record.has("betrokkeneType") and record.has("zaak"):
        return "rollen"
    if record.has("objectType") and record.has("zaak"):
        return "zaakobjecten"
    if record.has("zaaktype") and record.has("startdatum", "bronorganisatie"):
        return "zaken"
    if record.has("omschrijving") and record.has("url") and record.has("catalogus", "doel"):
        return "zaaktypen"
    return None


def zaak_uuid_map(files: Mapping[str, Sequence[Path]]) -> dict[str, str]:
    """Zaak uuid (lower case) → ``identificatie`` for every zaak in ``files["zaken"]``.

    The pipeline passes this to the VNG adapter (``AdapterContext.zaak_uuid_map``), because a
    ``verwerkingId`` may be the uuid of the zaak the action belonged to (B8157).
    """
    result: dict[str, str] = {}
    for path in files.get("zaken", ()):
        for _, value in load_json_values(path, table=_TABLE):
            zaak = Fields(value)
            uuid, identificatie = _zaak_uuid(zaak), zaak.text("identificatie")
            if uuid and identificatie:
                result[uuid] = identificatie
    return result


@dataclass
class _Item:
    """One input record and where it came from."""

    kind: str
    source_file: str
    locator: str
    record: dict[str, Any]
    fields: Fields
    order: int


@dataclass
class _Case:
    """A zaak with the roles that were joined to it."""

    zaak: _Item
    subjects: list[tuple[str, _Item]] = field(default_factory=list)
    behandelaars: list[_Item] = field(default_factory=list)
    teams: list[_Item] = field(default_factory=list)


def convert(files: dict[str, list[Path]], ctx: AdapterContext) -> AdapterOutput:
    """Join all ZGW files of one run into ``cases`` rows; see the module docstring."""
    out = AdapterOutput()
    zaaktypen: dict[str, str] = {}
    for item in _items(out, files, "zaaktypen"):
        url = (item.fields.text("url") or "").rstrip("/")
        name = item.fields.text("omschrijving", "omschrijvingGeneriek")
        if url and name:
            zaaktypen[url] = name
        count(out, "zaaktypen")
    cases: dict[str, _Case] = {}
    unjoinable: list[_Case] = []
    for item in _items(out, files, "zaken"):
        uuid = _zaak_uuid(item.fields)
        if uuid is None:
            unjoinable.append(_Case(item))
            continue
        if uuid in cases:
            count(out, "duplicate_zaak")  # a re-extracted zaak: the later record wins
        cases[uuid] = _Case(item)
    for kind in ("rollen", "zaakobjecten"):
        for item in _items(out, files, kind):
            _attach(out, cases, item)
    system = ctx.source_system_names.get(FORMAT, DEFAULT_ACCOUNT_SYSTEM)
    unmapped: set[str] = set()
    for case in [*cases.values(), *unjoinable]:
        _emit(out, case, ctx, system, zaaktypen, unmapped)
    if unmapped:
        out.notes.append(
            f"Behandelaar account(s) not in the account map: {', '.join(sorted(unmapped))}. "
            f"Their cases were written without assignee_employee_id; add rows "
            f"'{system},<account>,<employee_id>' to account_map.csv."
        )
    return out


def _items(out: AdapterOutput, files: dict[str, list[Path]], kind: str) -> Iterator[_Item]:
    """The object records of one role; anything else is rejected."""
    order = 0
    for path in files.get(kind, []):
        for locator, value in load_json_values(path, table=_TABLE):
            if isinstance(value, Reject):
                out.rejects.append(value)
            elif not isinstance(value, dict):
                reason = f"the record is not a JSON object (expected {kind})"
                out.rejects.append(
                    Reject(_TABLE, str(path), locator, None, reason, raw_json(value))
                )
            else:
                yield _Item(kind, str(path), locator, value, Fields(value), order)
                order += 1


def _zaak_uuid(zaak: Fields) -> str | None:
    uuid = zaak.text("uuid")
    return uuid.lower() if uuid else last_path_segment(zaak.text("url"))


def _attach(out: AdapterOutput, cases: dict[str, _Case], item: _Item) -> None:
    """Put a rol or zaakobject with its zaak, or reject it when the zaak is unknown."""
    fields = item.fields
    zaak_uuid = last_path_segment(fields.text("zaak"))
    case = cases.get(zaak_uuid or "")
    if case is None:
        reason = (
            f"the {'rol' if item.kind == 'rollen' else 'zaakobject'} refers to zaak "
            f"{fields.text('zaak')!r}, which is not in the zaken files of this run: deliver "
            "the zaak together with its rollen"
        )
        out.rejects.append(
            Reject(_TABLE, item.source_file, item.locator, "zaak", reason, raw_json(item.record))
        )
        return
    if item.kind == "zaakobjecten":
        if fields.folded("objectType") != "natuurlijk_persoon":
            count(out, "non_person_zaakobject")
            return
        bsn = bsn_text(fields.sub("objectIdentificatie").get("inpBsn"))
        _add_subject(out, case, bsn or _bsn_from_url(fields.text("object")), item)
        return
    kind = fields.folded("betrokkeneType")
    if kind == "natuurlijk_persoon":
        bsn = bsn_text(fields.sub("betrokkeneIdentificatie").get("inpBsn"))
        _add_subject(out, case, bsn or _bsn_from_url(fields.text("betrokkene")), item)
    elif kind == "medewerker" and fields.folded("omschrijvingGeneriek") == "behandelaar":
        case.behandelaars.append(item)
    elif kind == "organisatorische_eenheid":
        case.teams.append(item)
    else:
        count(out, "other_role")


def _add_subject(out: AdapterOutput, case: _Case, bsn: str | None, item: _Item) -> None:
    if bsn is None:
        count(out, "natural_person_without_bsn")
    else:
        case.subjects.append((bsn, item))


def _bsn_from_url(url: str | None) -> str | None:
    """A BRP person URL ends in the BSN (``…/ingeschrevenpersonen/999993653``)."""
    segment = last_path_segment(url)
    return segment if segment and segment.isdigit() else None


def _emit(
    out: AdapterOutput,
    case: _Case,
    ctx: AdapterContext,
    system: str,
    zaaktypen: dict[str, str],
    unmapped: set[str],
) -> None:
    count(out, "assignee_role", len(case.behandelaars))
    count(out, "team_role", len(case.teams))
    if not case.subjects:
        count(out, "zaak_without_subject")
        return
    count(out, "zaken")
    zaak = case.zaak.fields
    account, employee = None, None
    behandelaar = _latest(case.behandelaars)
    if behandelaar is not None:
        account = behandelaar.fields.sub("betrokkeneIdentificatie").text("identificatie")
        day = local_day(behandelaar.fields.text("registratiedatum") or zaak.text("startdatum"))
        employee = ctx.account_map.lookup(system, account, day) if account else None
        if account and employee is None:
            unmapped.add(account)
    team = _latest([t for t in case.teams if _is_behandelaar(t)] or case.teams)
    team_ident = team.fields.sub("betrokkeneIdentificatie") if team else Fields(None)
    zaaktype = zaak.text("zaaktype")
    common: dict[str, Value] = dict.fromkeys(CASES.column_names)
    common.update(
        case_id=zaak.text("identificatie"),
        case_type=zaaktypen.get((zaaktype or "").rstrip("/"), zaaktype),
        assignee_employee_id=employee,
        assignee_team=team_ident.text("naam", "identificatie"),
        opened_at=_at(zaak.text("startdatum"), "T00:00:00"),
        closed_at=_at(zaak.text("einddatum"), "T23:59:59"),
        zaak_uuid=_zaak_uuid(zaak),
        assignee_account=account,
    )
    seen: set[str] = set()
    for bsn, item in case.subjects:
        if bsn in seen:
            count(out, "duplicate_subject")
            continue
        seen.add(bsn)
        raw = raw_json({"zaak": case.zaak.record, item.kind: item.record})
        values = {**common, "subject_bsn": bsn}
        out.records.append(SourceRecord(_TABLE, item.source_file, item.locator, values, raw))


def _latest(roles: list[_Item]) -> _Item | None:
    """The most recently registered role (the contract holds one assignee per case)."""
    if not roles:
        return None
    return max(
        roles,
        key=lambda r: (parse_instant(r.fields.text("registratiedatum")) or _EARLIEST, r.order),
    )


def _is_behandelaar(role: _Item) -> bool:
    return role.fields.folded("omschrijvingGeneriek") == "behandelaar"


def _at(day: str | None, time: str) -> str | None:
    """A ZGW date as a contract timestamp at ``time`` local time; other text passes unchanged."""
    if day is None:
        return None
    return day + time if _DATE.match(day) else day

"""What ties an employee to the subjects of an alert, in a sentence a privacy officer reads.

The ties are the ones detection's relationship scenarios act on, found with detection's own
definitions: BRP relations with siblings derived (``evidence._relation_of_subject``), the
home address and the neighbour scenario's building rule, colleagues by their BSN in the
staff records, and the watchlist. Showing them next to the evidence lets the officer check
the tie itself, not only the score.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from schildwacht.app.evidence.models import Connection
from schildwacht.app.evidence.queries import Reader, open_reader
from schildwacht.app.evidence.reading import stored_files
from schildwacht.detect.scenarios.neighbour import _building
from schildwacht.store.store import Store

RELATION_TEXT: dict[str, tuple[str, str]] = {
    "partner": ("Partner volgens de BRP", "Partner according to the BRP"),
    "ex_partner": ("Ex-partner volgens de BRP", "Former partner according to the BRP"),
    "parent": ("Ouder van de medewerker volgens de BRP", "The employee's parent per the BRP"),
    "child": ("Kind van de medewerker volgens de BRP", "The employee's child per the BRP"),
    "sibling": (
        "Broer of zus: dezelfde ouder volgens de BRP",
        "Sibling: the same parent according to the BRP",
    ),
}

WATCHLIST_TEXT: dict[str, tuple[str, str]] = {
    "protected": ("beschermd persoon", "protected person"),
    "politician": ("politicus", "politician"),
    "official": ("bestuurder (burgemeester, wethouder of raadslid)", "official"),
    "public_figure": ("bekende Nederlander", "public figure"),
    "other": ("overig", "other"),
}

PLACE_TEXT: dict[str, tuple[str, str]] = {
    "same_address": ("Woont op hetzelfde adres", "Lives at the same address"),
    "same_building": (
        "Woont in hetzelfde gebouw (zelfde postcode en huisnummer)",
        "Lives in the same building (same postcode and house number)",
    ),
    "same_postcode": (
        "Woont in dezelfde straat (zelfde postcode)",
        "Lives in the same street (same postcode)",
    ),
}

KINDS: tuple[str, ...] = (
    "self", *RELATION_TEXT, *PLACE_TEXT, "coworker", "watchlist", "same_surname",
)  # fmt: skip
"""Every connection code, strongest first; connections of a subject come in this order."""


def subject_connections(
    store: Store, *, employee_id: str, subject_bsns: Collection[str]
) -> list[Connection]:
    """Every tie between the employee and each subject, per subject in the order given.

    Empty when the staff records do not know the employee. Optional tables that were never
    delivered (relations, watchlist, citizens) simply contribute nothing.
    """
    subjects = list(dict.fromkeys(subject_bsns))
    tables = stored_files(store)
    if not subjects or not tables.get("employees"):
        return []
    with open_reader(store, tables, employee_id=employee_id, subjects=subjects) as reader:
        citizens = reader.people("citizens") if tables.get("citizens") else []
        return connections(reader, subjects, citizens)


def connections(
    reader: Reader, subjects: list[str], citizens: list[dict[str, Any]]
) -> list[Connection]:
    """The ties of ``subject_connections`` from a reader bound to the employee and subjects;
    ``citizens`` are the reader's ``citizens`` rows (the page also takes names from them)."""
    mine = reader.people("me")
    if not mine:
        return []
    me = mine[0]
    found = [
        *_self(me, subjects),
        *_family(reader.people("family")),
        *_places_and_names(me, citizens),
        *_colleagues(me, reader.people("colleagues")),
        *_watchlist(reader.people("watchlist")),
    ]
    position = {bsn: n for n, bsn in enumerate(subjects)}
    return sorted(found, key=lambda c: (position[c.subject_bsn], KINDS.index(c.kind)))


def _self(me: dict[str, Any], subjects: list[str]) -> list[Connection]:
    if me["s_bsn"] not in subjects:
        return []
    return [
        Connection(me["s_bsn"], "self", "Dit is de medewerker zelf", "This is the employee"),
    ]


def _family(ties: list[dict[str, Any]]) -> list[Connection]:
    """BRP ties as detection reads them: both directions, siblings derived, best tie kept."""
    found = []
    for row in ties:
        if row["relation"] in RELATION_TEXT:  # the contract's enum, plus derived siblings
            nl, en = RELATION_TEXT[row["relation"]]
            found.append(Connection(row["subject"], row["relation"], nl, en, row["relation"]))
    return found


def _places_and_names(me: dict[str, Any], citizens: list[dict[str, Any]]) -> list[Connection]:
    """Same address, building or postcode (the family and neighbour scenarios' rules), and a
    shared surname when the employee's BSN is unknown (family's weak fallback)."""
    found = []
    for row in citizens:
        if row["bsn"] == me["s_bsn"]:
            continue  # one's own address is no connection worth a line
        place = _place(me, row)
        if place:
            nl, en = PLACE_TEXT[place]
            found.append(Connection(row["bsn"], place, nl, en))
        if me["s_bsn"] is None and _same_surname(me, row):
            found.append(_surname_connection(row["bsn"]))
    return found


def _place(me: dict[str, Any], citizen: dict[str, Any]) -> str | None:
    """The strongest place tie, compared exactly as detection compares addresses."""
    if not me["s_postcode"] or me["s_postcode"] != citizen["postcode"]:
        return None
    if me["s_house"] == citizen["house_number"]:
        return "same_address"
    if _building(me["s_house"]) == _building(citizen["house_number"]) != "":
        return "same_building"
    return "same_postcode"


def _surname_key(prefix: str | None, surname: str | None) -> str:
    """Detection's surname key: prefix and surname, lower case (see ``evidence``)."""
    return f"{prefix or ''} {surname or ''}".strip().lower()


def _same_surname(me: dict[str, Any], citizen: dict[str, Any]) -> bool:
    theirs = _surname_key(citizen["surname_prefix"], citizen["surname"])
    if not theirs:
        return False
    mine = _surname_key(me["s_prefix"], me["s_surname"])
    partner = (me["s_partner_surname"] or "").lower()
    return theirs in (mine, partner)


def _surname_connection(bsn: str) -> Connection:
    return Connection(
        bsn,
        "same_surname",
        "Zelfde achternaam als de medewerker (zwakke aanwijzing: BSN van de medewerker onbekend)",
        "Same surname as the employee (weak clue: the employee's BSN is unknown)",
    )


def _colleagues(me: dict[str, Any], others: list[dict[str, Any]]) -> list[Connection]:
    """Subjects who are staff themselves (by BSN; ``others`` excludes the employee), with
    their department."""
    found = []
    for row in others:
        department = row["s_department"] or "onbekend"
        if row["s_department"] and row["s_department"] == me["s_department"]:
            nl = f"Is een directe collega (zelfde afdeling: {department})"
            en = f"Is a close colleague (same department: {department})"
        else:
            nl = f"Is een collega (afdeling {department})"
            en = f"Is a colleague ({department} department)"
        found.append(Connection(row["s_bsn"], "coworker", nl, en, row["s_department"]))
    return _unique(found)


def _watchlist(rows: list[dict[str, Any]]) -> list[Connection]:
    """Watchlist categories; the note is left out, it may say why someone is protected."""
    found = []
    for row in rows:
        category = row["category"] or "other"
        nl, en = WATCHLIST_TEXT.get(category, WATCHLIST_TEXT["other"])
        found.append(
            Connection(
                row["bsn"],
                "watchlist",
                f"Staat op de bewakingslijst: {nl}",
                f"On the watchlist: {en}",
                category,
            )
        )
    return sorted(found, key=lambda c: list(WATCHLIST_TEXT).index(c.detail or "other"))


def _unique(found: list[Connection]) -> list[Connection]:
    """One line per distinct connection (two staff records may share a BSN)."""
    return list(dict.fromkeys(found))

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

import ibis.expr.types as ir

from schildwacht.app.evidence.models import Connection
from schildwacht.app.evidence.reading import context, open_backend
from schildwacht.detect.context import DetectionContext
from schildwacht.detect.evidence import _relation_of_subject, staff_table
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
    if not subjects or not store.files("employees"):
        return []
    with open_backend(store) as backend:
        ctx = context(backend, store)
        staff = staff_table(ctx)
        me = staff.filter(staff.s_id == employee_id)
        rows = me.to_pyarrow().to_pylist()
        if not rows:
            return []
        found = [
            *_self(rows[0], subjects),
            *_family(ctx, me, subjects),
            *_places_and_names(ctx, rows[0], subjects),
            *_colleagues(staff, rows[0], subjects),
            *_watchlist(ctx, subjects),
        ]
    position = {bsn: n for n, bsn in enumerate(subjects)}
    return sorted(found, key=lambda c: (position[c.subject_bsn], KINDS.index(c.kind)))


def _self(me: dict[str, Any], subjects: list[str]) -> list[Connection]:
    if me["s_bsn"] not in subjects:
        return []
    return [
        Connection(me["s_bsn"], "self", "Dit is de medewerker zelf", "This is the employee"),
    ]


def _family(ctx: DetectionContext, me: ir.Table, subjects: list[str]) -> list[Connection]:
    """BRP ties as detection reads them: both directions, siblings derived, best tie kept."""
    ties = _relation_of_subject(ctx, me)
    ties = ties.filter(ties.subject.isin(subjects)).select("subject", "relation")
    found = []
    for row in ties.to_pyarrow().to_pylist():
        if row["relation"] in RELATION_TEXT:  # the contract's enum, plus derived siblings
            nl, en = RELATION_TEXT[row["relation"]]
            found.append(Connection(row["subject"], row["relation"], nl, en, row["relation"]))
    return found


def _places_and_names(
    ctx: DetectionContext, me: dict[str, Any], subjects: list[str]
) -> list[Connection]:
    """Same address, building or postcode (the family and neighbour scenarios' rules), and a
    shared surname when the employee's BSN is unknown (family's weak fallback)."""
    c = ctx.citizens
    people = c.filter(c.bsn.isin(subjects)).select(
        "bsn", "postcode", "house_number", "surname_prefix", "surname"
    )
    found = []
    for row in people.to_pyarrow().to_pylist():
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


def _colleagues(staff: ir.Table, me: dict[str, Any], subjects: list[str]) -> list[Connection]:
    """Subjects who are staff themselves (by BSN), with their department."""
    others = staff.filter(staff.s_bsn.isin(subjects) & (staff.s_id != me["s_id"]))
    rows = others.select("s_bsn", "s_department").to_pyarrow().to_pylist()
    found = []
    for row in rows:
        department = row["s_department"] or "onbekend"
        if row["s_department"] and row["s_department"] == me["s_department"]:
            nl = f"Is een directe collega (zelfde afdeling: {department})"
            en = f"Is a close colleague (same department: {department})"
        else:
            nl = f"Is een collega (afdeling {department})"
            en = f"Is a colleague ({department} department)"
        found.append(Connection(row["s_bsn"], "coworker", nl, en, row["s_department"]))
    return _unique(found)


def _watchlist(ctx: DetectionContext, subjects: list[str]) -> list[Connection]:
    """Watchlist categories; the note is left out, it may say why someone is protected."""
    w = ctx.watchlist
    rows = w.filter(w.bsn.isin(subjects)).select("bsn", "category").distinct()
    found = []
    for row in rows.to_pyarrow().to_pylist():
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

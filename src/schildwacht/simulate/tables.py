"""The simulated town as contract tables (column dictionaries ready for ``writer.encode``)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from schildwacht.contract import ACTIONS, OUTCOMES, RELATIONS
from schildwacht.simulate.casework import Casework
from schildwacht.simulate.catalogue import NAIVE_TIME_SHARE, SYSTEMS, UTC_TIME_SHARE, WORK_TYPES
from schildwacht.simulate.clock import STYLE_NAIVE, STYLE_OFFSET, STYLE_UTC, Calendar
from schildwacht.simulate.organisation import ALL_TEAMS, Organisation
from schildwacht.simulate.population import Population
from schildwacht.simulate.sessions import ACTIVITIES, CATEGORIES, Events
from schildwacht.simulate.writer import Stamps

_EVENT_ID_PREFIX = pa.array(["BRP", "ZS", "BEL", "SD", "VG"])
_NAIVE = np.array([NAIVE_TIME_SHARE[s] for s in SYSTEMS])
_UTC = np.array([UTC_TIME_SHARE[s] for s in SYSTEMS])


def _text(values: np.ndarray) -> np.ndarray:
    """Object strings with empty ones as ``None`` (absent)."""
    out = values.astype(object)
    out[values == ""] = None
    return out


def _styles(rng: np.random.Generator, n: int, naive: float = 0.1, utc: float = 0.15) -> np.ndarray:
    u = rng.random(n)
    return np.where(u < naive, STYLE_NAIVE, np.where(u < naive + utc, STYLE_UTC, STYLE_OFFSET))


def _lookup(values: pa.Array, index: np.ndarray) -> pa.Array:
    """``values[index]`` with -1 meaning absent."""
    return values.take(pa.array(index, type=pa.int64(), mask=index < 0))


def citizens(pop: Population) -> dict[str, object]:
    """The BRP extract: one row per resident, including the recently deceased."""
    return {
        "bsn": pop.bsn.astype(object),
        "given_names": pop.given_names,
        "surname_prefix": _text(pop.prefix),
        "surname": pop.surname,
        "birth_date": pop.birth,
        "postcode": pop.postcode,
        "house_number": pop.house_number,
        "confidential": pop.confidential,
        "deceased_on": pop.deceased,
    }


def relations(pop: Population) -> dict[str, object]:
    """BRP family ties as emitted (one or both directions)."""
    r = pop.relations
    return {
        "bsn": pop.bsn[r.citizen].astype(object),
        "related_bsn": pop.bsn[r.related].astype(object),
        "relation": np.array(RELATIONS, dtype=object)[r.kind],
    }


def watchlist(pop: Population) -> dict[str, object]:
    """People whose records deserve extra protection."""
    return {
        "bsn": pop.bsn[pop.watch].astype(object),
        "category": pop.watch_category,
        "note": pop.watch_note,
    }


def employees(pop: Population, org: Organisation, cal: Calendar) -> dict[str, object]:
    """The HR extract, including service accounts and people who already left."""
    home = np.maximum(org.citizen, 0)
    resident = org.citizen >= 0
    until = np.where(org.employed_until < 10**6, org.employed_until, 0)
    return {
        "employee_id": org.employee_id,
        "given_name": _text(org.given_name),
        "surname_prefix": _text(org.prefix),
        "surname": org.surname,
        "partner_surname": _text(org.partner_surname),
        "bsn": np.where(resident, pop.bsn[home].astype(object), None),
        "department": np.array([t.department for t in ALL_TEAMS], dtype=object)[org.team],
        "team": np.array([t.name for t in ALL_TEAMS], dtype=object)[org.team],
        "job_title": org.title,
        "postcode": np.where(resident, pop.postcode[home], None),
        "house_number": np.where(resident, pop.house_number[home], None),
        "employed_from": cal.dates(org.employed_from),
        "employed_until": np.where(
            org.employed_until < 10**6, cal.dates(until), np.datetime64("NaT", "D")
        ),
        "service_account": org.service,
    }


def cases(
    rng: np.random.Generator, pop: Population, org: Organisation, cw: Casework
) -> dict[str, object]:
    """One row per (case, subject), as the ZGW Zaken API would list betrokkenen."""
    c = cw.subject_case
    team = np.array([t.name for t in ALL_TEAMS], dtype=object)[cw.case_team[c]]
    return {
        "case_id": cw.case_id[c],
        "case_type": np.array([w.name for w in WORK_TYPES], dtype=object)[cw.case_type[c]],
        "subject_bsn": pop.bsn[cw.subject].astype(object),
        "assignee_employee_id": np.where(
            cw.assignee[c] >= 0, org.employee_id[np.maximum(cw.assignee[c], 0)], None
        ),
        "assignee_team": np.where(cw.team_listed[c], team, None),
        "opened_at": Stamps(cw.opened[c], _styles(rng, len(c))),
        "closed_at": Stamps(cw.closed[c], _styles(rng, len(c))),
    }


def appointments(
    rng: np.random.Generator, pop: Population, org: Organisation, cw: Casework
) -> dict[str, object]:
    """Desk and phone appointments (booked visits and no-shows)."""
    a = cw.appointments
    return {
        "appointment_id": a["id"],
        "subject_bsn": pop.bsn[a["subject"]].astype(object),
        "employee_id": np.where(a["emp"] >= 0, org.employee_id[np.maximum(a["emp"], 0)], None),
        "team": np.array([t.name for t in ALL_TEAMS], dtype=object)[a["team"]],
        "starts_at": Stamps(a["time"], _styles(rng, len(a["id"]))),
        "service": a["service"],
    }


class EventEncoder:
    """Turns a day's ``Events`` into contract columns, numbering events per source system."""

    def __init__(
        self, rng: np.random.Generator, pop: Population, org: Organisation, cw: Casework
    ) -> None:
        self.bsn = pa.array(pop.bsn.astype(object), type=pa.string())
        self.employee = pa.array(org.employee_id, type=pa.string())
        self.case_id = pa.array(cw.case_id, type=pa.string())
        self.activity = pa.array(ACTIVITIES, type=pa.string())
        self.categories = pa.array([c.split("|") for c in CATEGORIES], type=pa.list_(pa.string()))
        self.next_id = rng.integers(10**6, 10**8, len(SYSTEMS))

    def columns(self, rng: np.random.Generator, ev: Events) -> dict[str, object]:
        """Contract columns of ``ev`` (already in time order)."""
        number = np.empty(len(ev), dtype=np.int64)
        for s in range(len(SYSTEMS)):
            at = np.flatnonzero(ev.system == s)
            number[at] = self.next_id[s] + np.arange(len(at))
            self.next_id[s] += len(at)
        digits = pc.utf8_lpad(pc.cast(pa.array(number), pa.string()), width=10, padding="0")
        u = rng.random(len(ev))
        naive, utc = _NAIVE[ev.system], _UTC[ev.system]
        style = np.where(u < naive, STYLE_NAIVE, np.where(u < naive + utc, STYLE_UTC, STYLE_OFFSET))
        return {
            "event_id": pc.binary_join_element_wise(
                _EVENT_ID_PREFIX.take(pa.array(ev.system)), digits, ""
            ),
            "occurred_at": Stamps(ev.time, style),
            "source_system": np.array(SYSTEMS, dtype=object)[ev.system],
            "employee_id": self.employee.take(pa.array(ev.emp)),
            "action": np.array(ACTIONS, dtype=object)[ev.action],
            "subject_bsn": _lookup(self.bsn, ev.subject),
            "processing_activity": _lookup(self.activity, ev.activity),
            "case_id": _lookup(self.case_id, ev.case),
            "data_categories": _lookup(self.categories, ev.categories),
            "search_terms": ev.terms,
            "result_count": ev.result,
            "outcome": np.array(OUTCOMES, dtype=object)[ev.outcome],
            "client": ev.client,
        }

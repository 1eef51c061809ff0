"""Desk visits, KCC calls and the appointment rows they leave.

The front desk works from a day's appointment slots, with a few walk-ins that leave no
record; the KCC answers calls that become a same-day zaak, a call-back appointment, or
nothing at all. Resident desk staff sometimes serve a neighbour, and watchlist people come
in for a passport: explained look-alikes of the neighbour and watchlist scenarios.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from schildwacht.simulate.catalogue import WORK_TYPES, work_type_index
from schildwacht.simulate.clock import HOUR, Calendar
from schildwacht.simulate.organisation import Organisation
from schildwacht.simulate.population import Population
from schildwacht.simulate.subjects import SubjectPools


def plan_visits(
    rng: np.random.Generator,
    pop: Population,
    org: Organisation,
    cal: Calendar,
    pools: SubjectPools,
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Desk visits and KCC calls of the window, and the appointment rows they leave.

    Visits hold ``day``, ``tod`` (seconds after midnight), ``emp``, ``subject``, ``type``
    (work type), ``appointment`` (row number or -1) and ``case``: for a call registered as a
    same-day zaak, its number among those zaken (0, 1, ...), else -1.
    """
    role = org.role
    desk_types = [i for i, w in enumerate(WORK_TYPES) if w.team == "Publiekszaken Balie"]
    share = np.array([WORK_TYPES[i].weight for i in desk_types])
    emp, day = np.nonzero(
        org.available & (role == "desk")[:, None] & cal.workday(np.arange(cal.days))
    )
    per = rng.binomial(32, 0.55, len(emp))
    order = np.argsort(rng.random((len(emp), 32)), axis=1)
    slot = order[np.arange(32)[None, :] < per[:, None]]
    v_emp, v_day = np.repeat(emp, per), np.repeat(day, per)
    v_tod = int(8.5 * HOUR) + slot * 900
    v_type = np.array(desk_types)[
        rng.choice(len(desk_types), size=len(v_emp), p=share / share.sum())
    ]
    v_subject = np.empty(len(v_emp), dtype=np.int64)
    for t in desk_types:
        at = v_type == t
        v_subject[at] = pools.draw(rng, WORK_TYPES[t].subjects, int(at.sum()))
    booked = rng.random(len(v_emp)) >= 0.04  # the rest are walk-ins
    named = rng.random(len(v_emp)) < 0.75
    served = _desk_lookalikes(rng, pop, org, v_emp, v_subject)
    booked[served], named[served] = True, True

    kcc = work_type_index()["Klantvraag"]
    emp, day = np.nonzero(
        org.available & (role == "kcc")[:, None] & cal.workday(np.arange(cal.days))
    )
    calls = rng.poisson(26, len(emp))
    k_emp, k_day = np.repeat(emp, calls), np.repeat(day, calls)
    k_tod = rng.integers(int(8.5 * HOUR), 17 * HOUR, len(k_emp))
    k_subject = pools.draw(rng, "adult", len(k_emp))
    outcome = rng.choice(3, size=len(k_emp), p=[0.62, 0.34, 0.04])
    k_case = np.full(len(k_emp), -1)
    k_case[outcome == 0] = np.arange(int((outcome == 0).sum()))

    visits = {
        "day": np.concatenate([v_day, k_day]),
        "tod": np.concatenate([v_tod, k_tod]),
        "emp": np.concatenate([v_emp, k_emp]),
        "subject": np.concatenate([v_subject, k_subject]),
        "type": np.concatenate([v_type, np.full(len(k_emp), kcc)]),
        "case": np.concatenate([np.full(len(v_emp), -1), k_case]),
        "booked": np.concatenate([booked, outcome == 1]),
        "named": np.concatenate([named, rng.random(len(k_emp)) < 0.5]),
    }
    return visits, _no_shows(rng, org, cal, pools, visits)


def _desk_lookalikes(
    rng: np.random.Generator,
    pop: Population,
    org: Organisation,
    emp: np.ndarray,
    subject: np.ndarray,
) -> np.ndarray:
    """Resident desk staff sometimes serve a neighbour; watchlist people renew passports.

    Both come with an appointment naming the employee, so they are explained look-alikes.
    Returns the visits whose subject was replaced.
    """
    changed: list[int] = []
    adults_at = _adults_by_postcode(pop)
    visits = np.flatnonzero(org.citizen[emp] >= 0)
    for i in visits[rng.random(len(visits)) < 0.01].tolist():
        home = org.citizen[emp[i]]
        near = adults_at(pop.postcode[home])
        near = near[pop.household[near] != pop.household[home]]
        if len(near):
            subject[i] = near[rng.integers(0, len(near))]
            changed.append(i)
    famous = pop.watch[rng.random(len(pop.watch)) < 0.12]
    if len(subject) and len(famous):
        at = rng.integers(0, len(subject), len(famous))
        subject[at] = famous
        changed += at.tolist()
    return np.array(changed, dtype=np.int64)


def _adults_by_postcode(pop: Population) -> Callable[[str], np.ndarray]:
    """A lookup: the living adults at a postcode, as sorted citizen numbers.

    Grouped once: scanning the whole population for every desk look-alike took almost seven
    minutes in a town of 800,000 residents and 10,000 staff.
    """
    adults = np.flatnonzero(pop.alive & (pop.age >= 18))
    codes, group = np.unique(pop.postcode[adults], return_inverse=True)
    order = np.argsort(group, kind="stable")  # stable: each group stays in ascending order
    bounds = np.searchsorted(group[order], np.arange(len(codes) + 1))

    def adults_at(postcode: str) -> np.ndarray:
        at = int(np.searchsorted(codes, postcode))
        if at == len(codes) or codes[at] != postcode:
            return adults[:0]
        return adults[order[bounds[at] : bounds[at + 1]]]

    return adults_at


def _no_shows(
    rng: np.random.Generator,
    org: Organisation,
    cal: Calendar,
    pools: SubjectPools,
    visits: dict[str, np.ndarray],
) -> dict[str, np.ndarray]:
    """Appointment rows: every booked visit, plus no-shows that never led to any access."""
    booked = np.flatnonzero(visits["booked"])
    n_miss = round(0.04 * len(booked))
    miss = booked[rng.integers(0, max(1, len(booked)), n_miss)] if len(booked) else booked[:0]
    subject = np.concatenate([visits["subject"][booked], pools.draw(rng, "adult", len(miss))])
    emp = np.concatenate([visits["emp"][booked], visits["emp"][miss]])
    named = np.concatenate([visits["named"][booked], rng.random(len(miss)) < 0.75])
    day = np.concatenate([visits["day"][booked], visits["day"][miss]])
    tod = np.concatenate(
        [visits["tod"][booked], visits["tod"][miss] + 900 * rng.integers(1, 4, len(miss))]
    )
    kind = np.concatenate([visits["type"][booked], visits["type"][miss]])
    service = np.array(
        [w.name if w.team != "Klantcontactcentrum" else "terugbelafspraak" for w in WORK_TYPES],
        dtype=object,
    )[kind]
    visits["appointment"] = np.full(len(visits["day"]), -1)
    visits["appointment"][booked] = np.arange(len(booked))
    return {
        "subject": subject,
        "emp": np.where(named, emp, -1),
        "team": org.team[emp],
        "time": cal.at(day, tod - rng.integers(0, 2, len(day)) * 300),
        "service": service,
    }

"""From work sessions to logged events: one rendering path for legitimate work and misuse.

A session is one sitting with one citizen's records: perhaps a search, then a few views,
an update or a print. Everything that decides how its events look (source system, action,
data categories, processing activity, whether the zaak is recorded, the client) comes from
the work type and the employee's roster. Injected misuse goes through this same function
with the perpetrator's own work type, so it carries no marker of its own: only the missing
work reason and the relationship to the subject give it away, as in real logs.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from schildwacht.contract import ACTIONS, OUTCOMES
from schildwacht.simulate.catalogue import (
    ACTIVITY_SHARE,
    BRP_CATEGORIES,
    CASE_ID_SHARE,
    SEARCH_KEYS,
    SERVICE_JOBS,
    SYSTEMS,
    WORK_TYPES,
)
from schildwacht.simulate.clock import Calendar
from schildwacht.simulate.organisation import Organisation
from schildwacht.simulate.population import Population

BRP = SYSTEMS.index("brp")
SEARCH = ACTIONS.index("search")
BROWSE = SEARCH_KEYS.index("browse")
CATEGORIES: tuple[str, ...] = tuple(
    sorted(
        {c for w in WORK_TYPES for c, _ in w.categories}
        | {c for c, _ in BRP_CATEGORIES}
        | {j.categories for j in SERVICE_JOBS}
        | {"basis", "adres", "basis|adres"}
    )
)
"""Every data-category combination that occurs; index = category code."""
ACTIVITIES: tuple[str, ...] = tuple(
    sorted({w.activity for w in WORK_TYPES} | {j.activity for j in SERVICE_JOBS})
)


def _table(
    rows: list[tuple[tuple[str, float], ...]], codes: dict[str, int]
) -> tuple[np.ndarray, np.ndarray]:
    """Per-row cumulative probabilities and the codes they select, padded to one width."""
    width = max(len(r) for r in rows)
    cum = np.ones((len(rows), width))
    code = np.zeros((len(rows), width), dtype=np.int64)
    for i, row in enumerate(rows):
        p = np.array([w for _, w in row], dtype=float)
        cum[i, : len(row)] = np.cumsum(p / p.sum())
        code[i, : len(row)] = [codes[v] for v, _ in row]
        code[i, len(row) :] = code[i, len(row) - 1]
    return cum, code


_CAT = {c: i for i, c in enumerate(CATEGORIES)}
_ACT = {a: i for i, a in enumerate(ACTIONS)}
_WT_CATS = _table([w.categories for w in WORK_TYPES], _CAT)
_BRP_CATS = _table([BRP_CATEGORIES], _CAT)
_WT_ACTIONS = _table([w.actions for w in WORK_TYPES], _ACT)
_WT_KEYS = _table(
    [tuple(zip(SEARCH_KEYS, w.search_keys, strict=True)) for w in WORK_TYPES],
    {k: i for i, k in enumerate(SEARCH_KEYS)},
)
_WT_SYSTEM = np.array([SYSTEMS.index(w.system) for w in WORK_TYPES])
_WT_BRP = np.array([w.brp_share for w in WORK_TYPES])
_WT_SEARCH = np.array([w.search for w in WORK_TYPES])
_WT_EVENTS = np.array([w.events for w in WORK_TYPES])
_WT_ACTIVITY = np.array([ACTIVITIES.index(w.activity) for w in WORK_TYPES])
_CASE_SHARE = np.array([CASE_ID_SHARE[s] for s in SYSTEMS])
_ACTIVITY_SHARE = np.array([ACTIVITY_SHARE[s] for s in SYSTEMS])


def _draw(
    rng: np.random.Generator, table: tuple[np.ndarray, np.ndarray], row: np.ndarray
) -> np.ndarray:
    cum, code = table
    pick = (rng.random(len(row))[:, None] >= cum[row]).sum(axis=1)
    return code[row, np.minimum(pick, cum.shape[1] - 1)]


@dataclass
class Events:
    """Events as parallel arrays (before ids and formatting)."""

    time: np.ndarray
    system: np.ndarray
    emp: np.ndarray
    action: np.ndarray
    subject: np.ndarray  # citizen number, -1 for none
    activity: np.ndarray  # index into ACTIVITIES, -1 for none
    case: np.ndarray  # case number, -1 for none
    categories: np.ndarray  # index into CATEGORIES, -1 for none
    terms: np.ndarray  # object: search terms or None
    result: np.ndarray  # result_count, -1 for none
    outcome: np.ndarray
    client: np.ndarray  # object

    def __len__(self) -> int:
        return len(self.time)

    def take(self, index: np.ndarray) -> Events:
        """The events at ``index`` (a selection or an ordering)."""
        return Events(*(getattr(self, f.name)[index] for f in fields(self)))

    @staticmethod
    def empty() -> Events:
        """No events."""
        none = np.empty(0, dtype=np.int64)
        obj = np.empty(0, dtype=object)
        return Events(none, none, none, none, none, none, none, none, obj, none, none, obj)

    @staticmethod
    def concat(parts: list[Events]) -> Events:
        """All events of ``parts`` in order."""
        return Events(
            *(np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(Events))
        )


@dataclass
class Sessions:
    """Work sessions as parallel arrays; see ``sessions(...)`` for defaults."""

    emp: np.ndarray
    time: np.ndarray
    wt: np.ndarray
    subject: np.ndarray  # fixed subject, or -1 to pick among the case's subjects
    case: np.ndarray  # case the work belongs to, -1 for none
    events: np.ndarray
    search: np.ndarray  # -1: as the work type does; -2: no search; k: search by key k
    action: np.ndarray  # -1: as the work type does; else the action of non-search events
    categories: np.ndarray  # -1: as the work type does; else a category code
    off_site: np.ndarray
    gap: np.ndarray  # mean seconds between events
    terms: np.ndarray  # object: forced search terms, or None
    result: np.ndarray  # forced result_count, or -1

    def __len__(self) -> int:
        return len(self.emp)

    @staticmethod
    def concat(parts: list[Sessions]) -> Sessions:
        """All sessions of ``parts`` in order."""
        return Sessions(
            *(np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(Sessions))
        )

    def take(self, index: np.ndarray) -> Sessions:
        """The sessions at ``index``."""
        return Sessions(*(getattr(self, f.name)[index] for f in fields(self)))


def sessions(
    rng: np.random.Generator,
    emp: np.ndarray,
    time: np.ndarray,
    wt: np.ndarray,
    subject: np.ndarray,
    case: np.ndarray | None = None,
    off_site: np.ndarray | None = None,
) -> Sessions:
    """Ordinary sessions: the work type decides search, actions and the number of events."""
    n = len(emp)
    events = 1 + rng.poisson(np.maximum(_WT_EVENTS[wt] - 1.0, 0.1))
    return Sessions(
        emp=np.asarray(emp, dtype=np.int64),
        time=np.asarray(time, dtype=np.int64),
        wt=np.asarray(wt, dtype=np.int64),
        subject=np.asarray(subject, dtype=np.int64),
        case=np.full(n, -1, dtype=np.int64) if case is None else np.asarray(case, dtype=np.int64),
        events=events.astype(np.int64),
        search=np.full(n, -1, dtype=np.int64),
        action=np.full(n, -1, dtype=np.int64),
        categories=np.full(n, -1, dtype=np.int64),
        off_site=np.zeros(n, dtype=bool) if off_site is None else off_site.astype(bool),
        gap=np.full(n, 45.0),
        terms=np.full(n, None, dtype=object),
        result=np.full(n, -1, dtype=np.int64),
    )


def _count(values: np.ndarray) -> np.ndarray:
    """How many elements share each element's value."""
    _, inverse, count = np.unique(values, return_inverse=True, return_counts=True)
    out: np.ndarray = count[inverse]
    return out


class Renderer:
    """Expands sessions into events for one simulated municipality."""

    def __init__(
        self,
        pop: Population,
        org: Organisation,
        cal: Calendar,
        sub_start: np.ndarray,
        sub_count: np.ndarray,
        case_subject: np.ndarray,
    ) -> None:
        self.pop, self.org, self.cal = pop, org, cal
        self.sub_start, self.sub_count, self.case_subject = sub_start, sub_count, case_subject
        counts = pop.counts()
        self.result_by_key = np.stack(
            [
                np.ones(len(pop), dtype=np.int64),
                counts["name_dob"],
                counts["name"],
                counts["postcode_nr"],
                counts["postcode"],
                np.ones(len(pop), dtype=np.int64),
            ]
        )
        name = pop.prefix + " " + pop.surname
        self.name = np.array([x.strip() for x in name.tolist()], dtype=object)
        self.birth = pop.birth.astype(str).astype(object)
        initial = np.array([f[:1] + "." for f in pop.first_name.tolist()], dtype=object)
        self.by_name = np.stack(
            [
                _count(self.name),
                _count(pop.first_name + " " + self.name),
                _count(initial + " " + self.name),
            ]
        )  # a name search typed as "de Vries", "Sanne de Vries" or "S. de Vries"

    def expand(self, rng: np.random.Generator, s: Sessions) -> Events:
        """All events of the sessions, in session order."""
        has_search = np.where(s.search == -1, rng.random(len(s)) < _WT_SEARCH[s.wt], s.search >= 0)
        key = np.where(s.search >= 0, s.search, _draw(rng, _WT_KEYS, s.wt))
        count = np.maximum(s.events, 1 + has_search)
        idx = np.repeat(np.arange(len(s)), count)
        start = np.cumsum(count) - count
        first = np.arange(len(idx)) == start[idx]
        is_search = has_search[idx] & first
        gaps = rng.exponential(s.gap[idx])
        gaps[first] = 0.0
        elapsed = np.cumsum(gaps)
        time = s.time[idx] + (elapsed - elapsed[start[idx]]).astype(np.int64)
        wt, case = s.wt[idx], s.case[idx]
        subject = s.subject[idx].copy()
        from_case = np.flatnonzero((subject < 0) & (case >= 0))
        c = case[from_case]
        other = rng.random(len(c)) < 0.3
        k = np.where(other, (rng.random(len(c)) * self.sub_count[c]).astype(np.int64), 0)
        subject[from_case] = self.case_subject[self.sub_start[c] + k]
        n = len(idx)
        system = np.where(rng.random(n) < _WT_BRP[wt], BRP, _WT_SYSTEM[wt])
        action = np.where(s.action[idx] >= 0, s.action[idx], _draw(rng, _WT_ACTIONS, wt))
        action[is_search] = SEARCH
        categories = np.where(
            system == BRP,
            _draw(rng, _BRP_CATS, np.zeros(n, dtype=np.int64)),
            _draw(rng, _WT_CATS, wt),
        )
        categories = np.where(s.categories[idx] >= 0, s.categories[idx], categories)
        categories[is_search] = _CAT["basis"]
        logged = (case >= 0) & (rng.random(n) < _CASE_SHARE[system])
        activity = np.where(rng.random(n) < _ACTIVITY_SHARE[system], _WT_ACTIVITY[wt], -1)
        result = np.full(n, -1, dtype=np.int64)
        terms = np.full(n, None, dtype=object)
        at = np.flatnonzero(is_search)
        keys, who = key[idx[at]], subject[at]
        forced = s.result[idx[at]]
        style = np.where(keys == 2, np.searchsorted([0.5, 0.8], rng.random(len(at))), 0)
        found = np.where(keys == 2, self.by_name[style, who], self.result_by_key[keys, who])
        result[at] = np.where(forced >= 0, forced, found)
        typed = zip(
            s.terms[idx[at]].tolist(), keys.tolist(), who.tolist(), style.tolist(), strict=True
        )
        terms[at] = [t if t is not None else self._term(k, c, v) for t, k, c, v in typed]
        subject[at] = np.where(result[at] == 1, who, -1)
        u = rng.random(n)
        outcome = np.where(u < 0.004, OUTCOMES.index("error"), OUTCOMES.index("ok"))
        outcome = np.where(u > 0.998, OUTCOMES.index("denied"), outcome)
        emp = s.emp[idx]
        client = self.org.clients(emp, self.cal.day_of(time), s.off_site[idx])
        return Events(
            time=time,
            system=system.astype(np.int64),
            emp=emp,
            action=action.astype(np.int64),
            subject=subject,
            activity=activity.astype(np.int64),
            case=np.where(logged, case, -1),
            categories=categories.astype(np.int64),
            terms=terms,
            result=result,
            outcome=outcome.astype(np.int64),
            client=client,
        )

    def _term(self, key: int, c: int, style: int) -> str:
        """What the employee typed to find citizen ``c`` by ``key`` (in name ``style``)."""
        pop = self.pop
        if key == 0:
            return str(pop.bsn[c])
        if key == 1:
            return f"{self.name[c]} {self.birth[c]}"
        if key == 2:
            first = str(pop.first_name[c])
            return (
                str(self.name[c])
                if style == 0
                else f"{first if style == 1 else first[0] + '.'} {self.name[c]}"
            )
        if key == 3:
            return f"{pop.postcode[c]} {pop.house_number[c]}"
        return str(pop.postcode[c])

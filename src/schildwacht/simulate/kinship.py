"""BRP family ties: partners, ex-partners, parents and children, in and across households.

Ties inside a household follow from its type. Ties across households are what make the
family scenario realistic: an ex-partner living elsewhere (often with shared children), an
adult child who moved out (carrying the parents' surname), a widowed parent in a care flat.
A tie is written in one or both directions, as real BRP extracts differ in that.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

PARTNER, EX_PARTNER, PARENT, CHILD = range(4)  # codes into contract.RELATIONS
_REVERSE = np.array([PARTNER, EX_PARTNER, CHILD, PARENT])
_BOTH_DIRECTIONS = np.array([0.9, 0.8, 0.75, 0.75])
SINGLE, COUPLE, FAMILY, SINGLE_PARENT, SHARED = range(5)


@dataclass
class Relations:
    """Directed ties: ``related`` is ``kind`` of ``citizen`` (contract semantics)."""

    citizen: np.ndarray
    related: np.ndarray
    kind: np.ndarray

    def pairs(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Both directions of every tie, whatever was emitted (for lookups, not output)."""
        return (
            np.concatenate([self.citizen, self.related]),
            np.concatenate([self.related, self.citizen]),
            np.concatenate([self.kind, _REVERSE[self.kind]]),
        )


def build_relations(
    rng: np.random.Generator,
    household: np.ndarray,
    hh_start: np.ndarray,
    hh_type: np.ndarray,
    slot: np.ndarray,
    sex: np.ndarray,
    age: np.ndarray,
    surname: np.ndarray,
) -> tuple[Relations, np.ndarray]:
    """All ties, plus surname codes updated where an adult child carries a parent's name."""
    kind = hh_type[household]
    head = hh_start[household]
    ties: list[tuple[np.ndarray, np.ndarray, int]] = []
    two_adults = np.isin(kind, (COUPLE, FAMILY))
    second = np.flatnonzero(two_adults & (slot == 1))
    ties.append((head[second], second, PARTNER))
    kids = np.flatnonzero((kind == FAMILY) & (slot >= 2))
    ties += [(kids, head[kids], PARENT), (kids, head[kids] + 1, PARENT)]
    lone_kids = np.flatnonzero((kind == SINGLE_PARENT) & (slot >= 1))
    ties.append((lone_kids, head[lone_kids], PARENT))

    singles = np.flatnonzero((kind == SINGLE) & (age >= 20))
    # the other parent of a single parent's children often lives in town, alone
    parents = np.flatnonzero((kind == SINGLE_PARENT) & (slot == 0) & (rng.random(len(age)) < 0.4))
    parents, ex = _match(rng, parents, age[parents], singles, age, sex, 5.0)
    ties.append((parents, ex, EX_PARTNER))
    first_kid = np.searchsorted(lone_kids, parents + 1)
    for j in range(3 if len(lone_kids) else 0):
        at = np.minimum(first_kid + j, len(lone_kids) - 1)
        ok = head[lone_kids[at]] == parents
        ties.append((lone_kids[at[ok]], ex[ok], PARENT))
    # divorced adults elsewhere
    adults = np.flatnonzero((age >= 28) & (age <= 70) & (slot <= 1) & (kind != SHARED))
    pick = adults[rng.random(len(adults)) < 0.025]
    pick, other = _match(rng, pick, age[pick], adults, age, sex, 5.0)
    ok = household[pick] != household[other]
    ties.append((pick[ok], other[ok], EX_PARTNER))
    # adult children living on their own, and widowed parents
    heads = np.flatnonzero(two_adults & (slot == 0))
    young = singles[(age[singles] <= 40) & (rng.random(len(singles)) < 0.45)]
    target = age[young] + rng.uniform(22, 36, len(young))
    young, mum_dad = _match(rng, young, target, heads, age, None, 6.0)
    ties += [(young, mum_dad, PARENT), (young, mum_dad + 1, PARENT)]
    surname = surname.copy()
    surname[young] = surname[mum_dad]
    old = singles[(age[singles] >= 68) & (rng.random(len(singles)) < 0.55)]
    couple_adults = np.flatnonzero(two_adults & (slot <= 1) & (age >= 30))
    target = age[old] - rng.uniform(24, 38, len(old))
    old, child = _match(rng, old, target, couple_adults, age, None, 6.0)
    ties.append((child, old, PARENT))
    return _emit(rng, ties), surname


def _match(
    rng: np.random.Generator,
    who: np.ndarray,
    target_age: np.ndarray,
    candidates: np.ndarray,
    age: np.ndarray,
    sex: np.ndarray | None,
    tolerance: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Pair each of ``who`` with a candidate near ``target_age`` (opposite sex if given).

    Candidates are sorted by age and looked up with a little jitter so that nobody attracts
    all matches; pairs outside ``tolerance`` years, or with oneself, are dropped.
    """
    out_who: list[np.ndarray] = [who[:0]]
    out_match: list[np.ndarray] = [who[:0]]
    if sex is None:
        groups = [(np.ones(len(who), dtype=bool), candidates)]
    else:
        groups = [(sex[who] == s, candidates[sex[candidates] == 1 - s]) for s in (0, 1)]
    for mask, pool in groups:
        people, target = who[mask], target_age[mask]
        if len(people) == 0 or len(pool) == 0:
            continue
        pool = pool[np.argsort(age[pool], kind="stable")]
        pos = np.searchsorted(age[pool], target) + rng.integers(-3, 4, len(people))
        found = pool[np.clip(pos, 0, len(pool) - 1)]
        ok = (np.abs(age[found] - target) <= tolerance) & (found != people)
        out_who.append(people[ok])
        out_match.append(found[ok])
    return np.concatenate(out_who), np.concatenate(out_match)


def _emit(rng: np.random.Generator, ties: list[tuple[np.ndarray, np.ndarray, int]]) -> Relations:
    """Write each tie in both directions or in one, and drop duplicates."""
    a = np.concatenate([t[0] for t in ties]).astype(np.int64)
    b = np.concatenate([t[1] for t in ties]).astype(np.int64)
    k = np.concatenate([np.full(len(t[0]), t[2]) for t in ties]).astype(np.int8)
    both = rng.random(len(a)) < _BOTH_DIRECTIONS[k]
    forward = both | (rng.random(len(a)) < 0.5)
    backward = both | ~forward
    citizen = np.concatenate([a[forward], b[backward]])
    related = np.concatenate([b[forward], a[backward]])
    kind = np.concatenate([k[forward], _REVERSE[k[backward]]]).astype(np.int8)
    keep = citizen != related
    key = (citizen[keep] * 4 + kind[keep]) * (related.max() + 1) + related[keep]
    _, first = np.unique(key, return_index=True)
    first = np.sort(first)
    return Relations(citizen[keep][first], related[keep][first], kind[keep][first])

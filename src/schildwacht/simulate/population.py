"""The residents: households, addresses, BRP relations, geheimhouding and the watchlist.

Citizens are stored household by household (members contiguous), which lets case work
pick "the household of this client" with index arithmetic instead of joins. Addresses are
modelled the Dutch way: a six-character postcode covers one side of a street segment or one
apartment block, so many households share a postcode and blocks carry many additions
(``12-1``, ``12-2``, ``12A``). That is what the neighbour scenario and its look-alikes need.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from schildwacht.simulate.catalogue import WATCHLIST_ROLES
from schildwacht.simulate.identity import NamePools, draw_bsns
from schildwacht.simulate.kinship import Relations, build_relations

SINGLE, COUPLE, FAMILY, SINGLE_PARENT, SHARED = range(5)
_LETTERS = "ABCDEGHJKLMNPRSTVWXZ"  # letters used in Dutch postcodes
_PAIRS = [a + b for a in _LETTERS for b in _LETTERS if a + b not in ("SA", "SD", "SS")]


@dataclass
class Population:
    """All residents as parallel numpy arrays (index = citizen number)."""

    bsn: np.ndarray
    first_name: np.ndarray
    given_names: np.ndarray
    prefix: np.ndarray
    surname: np.ndarray
    sex: np.ndarray
    age: np.ndarray  # years at the simulation start
    birth: np.ndarray  # datetime64[D]
    household: np.ndarray
    hh_start: np.ndarray
    hh_size: np.ndarray
    hh_type: np.ndarray
    postcode: np.ndarray
    house_number: np.ndarray
    address: np.ndarray  # address number; co-residents share it
    confidential: np.ndarray
    deceased: np.ndarray  # datetime64[D], NaT while alive
    relations: Relations
    watch: np.ndarray  # citizen numbers on the watchlist
    watch_category: np.ndarray
    watch_note: np.ndarray

    def __len__(self) -> int:
        return len(self.bsn)

    @property
    def alive(self) -> np.ndarray:
        """True for residents without a date of death."""
        return np.isnat(self.deceased)

    def counts(self) -> dict[str, np.ndarray]:
        """Per citizen: how many people a search on their name, address or postcode returns."""
        out = {}
        for key, values in (
            ("name", self.prefix + " " + self.surname),
            ("name_dob", self.surname + self.birth.astype(str).astype(object)),
            ("postcode_nr", self.address),
            ("postcode", self.postcode),
        ):
            _, inverse, count = np.unique(values, return_inverse=True, return_counts=True)
            out[key] = count[inverse]
        return out


def build_population(
    rng: np.random.Generator, n: int, start: date, days: int, pools: NamePools
) -> Population:
    """Generate ``n`` residents in households at addresses, with their BRP relations."""
    hh_type, hh_size = _households(rng, n)
    hh_start = np.concatenate([[0], np.cumsum(hh_size)[:-1]])
    household = np.repeat(np.arange(len(hh_size)), hh_size)
    slot = np.arange(n) - hh_start[household]
    sex, age = _sex_and_age(rng, hh_type[household], slot)
    birth = (np.datetime64(start) - np.round(age * 365.25).astype("timedelta64[D]")).astype(
        "datetime64[D]"
    )
    code = pools.surname_codes(rng, n)
    # children carry the surname of the first adult; partners keep their own
    kind = hh_type[household]
    inherits = ((slot >= 1) & (kind == SINGLE_PARENT)) | ((slot >= 2) & (kind == FAMILY))
    code = np.where(inherits, code[hh_start[household]], code)
    relations, code = build_relations(rng, household, hh_start, hh_type, slot, sex, age, code)
    first, given = pools.given_names(rng, sex, birth.astype("datetime64[Y]").astype(int) + 1970)
    postcode, number, address = _addresses(rng, hh_type, household)
    deceased = _deaths(rng, age, start, days)
    confidential = _confidential(rng, hh_start, hh_size, n)
    pop = Population(
        bsn=draw_bsns(rng, n),
        first_name=first,
        given_names=given,
        prefix=pools.prefixes[code],
        surname=pools.surnames[code],
        sex=sex,
        age=age,
        birth=birth,
        household=household,
        hh_start=hh_start,
        hh_size=hh_size,
        hh_type=hh_type,
        postcode=postcode,
        house_number=number,
        address=address,
        confidential=confidential,
        deceased=deceased,
        relations=relations,
        watch=np.empty(0, dtype=np.int64),
        watch_category=np.empty(0, dtype=object),
        watch_note=np.empty(0, dtype=object),
    )
    _watchlist(rng, pop)
    return pop


def _households(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Household types and sizes (CBS-like: ~37% single, mean size about 2.1)."""
    m = int(n / 2.0) + 16
    kind = rng.choice(5, size=m, p=[0.37, 0.29, 0.24, 0.07, 0.03])
    size = np.ones(m, dtype=np.int64)
    size[kind == COUPLE] = 2
    size[kind == FAMILY] = (
        2 + rng.choice([1, 2, 3, 4], size=m, p=[0.33, 0.43, 0.17, 0.07])[kind == FAMILY]
    )
    size[kind == SINGLE_PARENT] = (
        1 + rng.choice([1, 2, 3], size=m, p=[0.6, 0.3, 0.1])[kind == SINGLE_PARENT]
    )
    size[kind == SHARED] = rng.integers(2, 5, size=m)[kind == SHARED]
    total = np.cumsum(size)
    last = int(np.searchsorted(total, n))
    kind, size = kind[: last + 1], size[: last + 1].copy()
    size[-1] -= int(total[last] - n)
    if size[-1] == 1:
        kind[-1] = SINGLE
    return kind, size


def _sex_and_age(
    rng: np.random.Generator, kind: np.ndarray, slot: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Sex and age per citizen, consistent within each household."""
    n = len(kind)
    u = rng.random(n)
    single_age = np.where(
        u < 0.45,
        rng.uniform(18, 35, n),
        np.where(u < 0.7, rng.uniform(35, 65, n), rng.uniform(65, 96, n)),
    )
    couple_age = np.where(
        u < 0.3,
        rng.uniform(22, 40, n),
        np.where(u < 0.65, rng.uniform(40, 65, n), rng.uniform(65, 92, n)),
    )
    head = np.select(
        [kind == SINGLE, kind == COUPLE, kind == FAMILY, kind == SINGLE_PARENT],
        [single_age, couple_age, rng.uniform(26, 56, n), rng.uniform(22, 58, n)],
        rng.uniform(18, 32, n),
    )
    first = np.flatnonzero(slot == 0)
    head_of = np.repeat(head[first], np.diff(np.append(first, n)))
    partner_age = np.maximum(18.0, head_of + rng.normal(-1.5, 3.5, n))
    parent_gap = np.where(kind == FAMILY, head_of - 19, head_of - 18)
    child_age = rng.uniform(0, 1, n) * np.clip(np.minimum(parent_gap, 25), 0.2, None)
    adult_b = (slot == 1) & np.isin(kind, (COUPLE, FAMILY))
    age = np.where(slot == 0, head_of, child_age)
    age = np.where(adult_b, partner_age, age)
    age = np.where((kind == SHARED) & (slot > 0), rng.uniform(18, 34, n), age)
    sex = rng.integers(0, 2, n).astype(np.int8)
    head_sex = np.repeat(sex[first], np.diff(np.append(first, n)))
    opposite = rng.random(n) < 0.94
    sex = np.where(adult_b, np.where(opposite, 1 - head_sex, head_sex), sex).astype(np.int8)
    return sex, age


def _addresses(
    rng: np.random.Generator, kind: np.ndarray, household: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Postcode, house number and address number per citizen.

    About 30% of postcodes are apartment blocks (one or two building numbers with many
    additions), the rest street segments; singles and sharers live mostly in blocks. A few
    singles lodge at another household's address (co-residents who are not family).
    """
    m = len(kind)
    pc_block: list[bool] = []
    numbers: list[str] = []
    owner: list[int] = []
    pc4 = int(rng.integers(1000, 9000))
    letter_start = int(rng.integers(0, 40))
    pc_names: list[str] = []
    total = 0
    while total < m * 1.04:
        index = len(pc_names)
        if index and index % 90 == 0:
            pc4 += 1
        pair = (letter_start + index % 90 * 4 + int(rng.integers(0, 4))) % 397
        pc_names.append(f"{pc4}{_PAIRS[pair]}")
        block = bool(rng.random() < 0.3)
        pc_block.append(block)
        base = int(rng.integers(1, 120))
        if block:
            units = int(rng.integers(16, 65))
            per = units if units <= 30 else units // 2
            lettered = bool(rng.random() < 0.35) and per <= 20
            for u in range(units):
                b = base + 2 * (u // per)
                k = u % per
                numbers.append(f"{b}{_LETTERS[k]}" if lettered else f"{b}-{k + 1}")
                owner.append(index)
        else:
            units = int(rng.integers(8, 29))
            for u in range(units):
                extra = u > 0 and rng.random() < 0.08
                numbers.append(f"{base + 2 * (u - 1)}A" if extra else str(base + 2 * u))
                owner.append(index)
        total += units
    owner_arr = np.array(owner)
    is_block = np.array(pc_block)[owner_arr]
    apartments = rng.permutation(np.flatnonzero(is_block))
    houses = rng.permutation(np.flatnonzero(~is_block))
    prefer = np.select([np.isin(kind, (SINGLE, SHARED)), kind == COUPLE], [0.6, 0.35], 0.15)
    wants_block = rng.random(m) < prefer
    chosen = np.empty(m, dtype=np.int64)
    want, rest = np.flatnonzero(wants_block), np.flatnonzero(~wants_block)
    k1, k2 = min(len(want), len(apartments)), min(len(rest), len(houses))
    chosen[want[:k1]] = apartments[:k1]
    chosen[rest[:k2]] = houses[:k2]
    left = np.concatenate([want[k1:], rest[k2:]])
    chosen[left] = np.concatenate([apartments[k1:], houses[k2:]])[: len(left)]
    lodgers = np.flatnonzero((kind == SINGLE) & (rng.random(m) < 0.02))
    chosen[lodgers] = chosen[rng.integers(0, m, size=len(lodgers))]
    address = chosen[household]
    postcode = np.array(pc_names, dtype=object)[owner_arr[address]]
    number = np.array(numbers, dtype=object)[address]
    return postcode, number, address


def _deaths(rng: np.random.Generator, age: np.ndarray, start: date, days: int) -> np.ndarray:
    """About 1.2% died recently (mostly old); the BRP extract still lists them."""
    n = len(age)
    weight = np.clip(age - 55, 0, None) ** 2
    k = max(1, round(0.012 * n))
    dead = rng.choice(n, size=k, replace=False, p=weight / weight.sum())
    offset = np.where(rng.random(k) < 0.15, rng.integers(0, days, k), -rng.integers(1, 400, k))
    out = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    out[dead] = np.datetime64(start) + offset.astype("timedelta64[D]")
    return out


def _confidential(
    rng: np.random.Generator, start: np.ndarray, size: np.ndarray, n: int
) -> np.ndarray:
    """Geheimhouding for about 0.6%: often the whole household, sometimes one adult."""
    out = np.zeros(n, dtype=bool)
    chosen = rng.choice(len(size), size=max(2, round(0.006 * len(size))), replace=False)
    whole = rng.random(len(chosen)) < 0.6
    for h, all_members in zip(chosen.tolist(), whole.tolist(), strict=True):
        out[start[h] : start[h] + (size[h] if all_members else 1)] = True
    return out


def _watchlist(rng: np.random.Generator, pop: Population) -> None:
    """A few dozen public figures, politicians, officials and protected persons.

    Every category is present even in a small town; protected persons mostly also have
    geheimhouding set, as they would in the BRP.
    """
    scale = len(pop) / 120_000
    eligible = np.flatnonzero(pop.alive & (pop.age >= 25) & (pop.age <= 80) & ~pop.confidential)
    roles: list[tuple[str, str]] = []
    seen: set[str] = set()
    for category, note, count in WATCHLIST_ROLES:
        k = max(1 if category not in seen else 0, round(count * scale))
        seen.add(category)
        roles += [(category, note)] * k
    people = rng.choice(eligible, size=len(roles), replace=False)
    pop.watch = people
    pop.watch_category = np.array([c for c, _ in roles], dtype=object)
    pop.watch_note = np.array([r for _, r in roles], dtype=object)
    protected = people[(pop.watch_category == "protected") & (rng.random(len(roles)) < 0.7)]
    pop.confidential[protected] = True

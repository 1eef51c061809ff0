"""Names and BSNs for synthetic people.

Faker is slow per call, so its ``nl_NL`` name lists are read once into pools and sampled
with numpy. Surnames follow the real Dutch distribution at the head (de Jong, Jansen, de
Vries, ...) so that common surnames are shared by hundreds of unrelated people, which is
what makes "same surname" a weak signal and exact BRP relations a strong one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from faker import Faker

from schildwacht.simulate.catalogue import (
    CLASSIC_GIVEN_NAMES,
    COMMON_SURNAMES,
    SURNAME_PREFIXES,
)

_WEIGHTS = np.array([9, 8, 7, 6, 5, 4, 3, 2], dtype=np.int64)
_DUTCH_POPULATION_K = 17_900  # thousands, to turn CBG counts into shares
_CLEAN = re.compile(r"^[A-Z][a-zë\u00e0-\u00ff]+$")


def draw_bsns(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` distinct random BSNs (``<U9``) that pass the elfproef; about 10% start with 0.

    The first eight digits are uniform, the ninth is the check digit
    (weighted sum mod 11); prefixes whose check digit would be 10 are skipped.
    """
    found = np.empty(0, dtype=np.int64)
    while len(found) < n:
        prefix = rng.integers(0, 100_000_000, size=int((n - len(found)) * 1.15) + 64)
        digits = (prefix[:, None] // 10 ** np.arange(7, -1, -1)) % 10
        check = (digits @ _WEIGHTS) % 11
        number = prefix * 10 + check
        number = number[(check < 10) & (number > 0)]
        merged = np.concatenate([found, number])
        _, first = np.unique(merged, return_index=True)
        found = merged[np.sort(first)]
    return np.char.zfill(found[:n].astype(str), 9)


def split_surname(full: str) -> tuple[str, str]:
    """Split ``van den Berg`` into the voorvoegsel ``van den`` and the geslachtsnaam ``Berg``."""
    for prefix in sorted(SURNAME_PREFIXES, key=len, reverse=True):
        if full.startswith(prefix + " "):
            return prefix, full[len(prefix) + 1 :]
    return "", full


@dataclass(frozen=True)
class NamePools:
    """Pools of given names per sex and weighted surnames, drawn once from Faker."""

    female: np.ndarray
    male: np.ndarray
    classic_female: np.ndarray
    classic_male: np.ndarray
    prefixes: np.ndarray
    surnames: np.ndarray
    weights: np.ndarray

    @classmethod
    def from_faker(cls, seed: int) -> NamePools:
        """Read Faker's ``nl_NL`` lists; keep plausible modern Dutch surnames only.

        Faker's list mixes in medieval names ("Aelftrud van Wessex"); those are dropped. The
        20 most common Dutch surnames get their real national share; the long tail shares
        the rest with a mild Zipf slope.
        """
        fake = Faker("nl_NL")
        fake.seed_instance(seed)
        person = fake.provider("faker.providers.person")
        assert person is not None
        common = {(p, s) for p, s, _ in COMMON_SURNAMES}
        tail: list[tuple[str, str]] = []
        for full in dict.fromkeys(person.last_names):
            prefix, name = split_surname(full)
            if _CLEAN.match(name) and (prefix, name) not in common:
                tail.append((prefix, name))
        order = np.random.Generator(np.random.PCG64(seed)).permutation(len(tail))
        tail = [tail[i] for i in order]
        head_share = np.array([c for _, _, c in COMMON_SURNAMES], dtype=float)
        head_share /= _DUTCH_POPULATION_K
        tail_share = 1.0 / np.sqrt(np.arange(1, len(tail) + 1) + 300.0)
        tail_share *= (1.0 - head_share.sum()) / tail_share.sum()
        names = [(p, s) for p, s, _ in COMMON_SURNAMES] + tail
        return cls(
            female=np.array(sorted(set(person.first_names_female)), dtype=object),
            male=np.array(sorted(set(person.first_names_male)), dtype=object),
            classic_female=np.array(CLASSIC_GIVEN_NAMES[0], dtype=object),
            classic_male=np.array(CLASSIC_GIVEN_NAMES[1], dtype=object),
            prefixes=np.array([p for p, _ in names], dtype=object),
            surnames=np.array([s for _, s in names], dtype=object),
            weights=np.concatenate([head_share, tail_share]),
        )

    def surname_codes(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Indices into the surname pool, drawn by national frequency."""
        return rng.choice(len(self.surnames), size=n, p=self.weights)

    def given_names(
        self, rng: np.random.Generator, sex: np.ndarray, birth_year: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """First given name (roepnaam) and the full voornamen for each person.

        People born before 1965 mostly carry classic names; second and third names are
        usually classic (named after grandparents).
        """
        n = len(sex)
        old = (birth_year < 1965) & (rng.random(n) < 0.7)
        first = np.where(
            sex == 1,
            np.where(old, _pick(rng, self.classic_male, n), _pick(rng, self.male, n)),
            np.where(old, _pick(rng, self.classic_female, n), _pick(rng, self.female, n)),
        )
        second = np.where(
            sex == 1, _pick(rng, self.classic_male, n), _pick(rng, self.classic_female, n)
        )
        third = np.where(sex == 1, _pick(rng, self.male, n), _pick(rng, self.female, n))
        count = rng.choice(3, size=n, p=[0.45, 0.4, 0.15])
        full = np.array(
            [
                f if c == 0 else (f"{f} {s}" if c == 1 else f"{f} {s} {t}")
                for f, s, t, c in zip(first, second, third, count.tolist(), strict=True)
            ],
            dtype=object,
        )
        return first, full


def _pick(rng: np.random.Generator, pool: np.ndarray, n: int) -> np.ndarray:
    return pool[rng.integers(0, len(pool), size=n)]

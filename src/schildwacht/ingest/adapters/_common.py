"""Helpers the adapters share: tolerant field access, text values, names, times and accounts.

The Dutch standards are implemented by many vendors, and their output differs in small ways
(``objectType`` against ``objecttype``, ``trace_id`` against ``traceId``, ``Persoon`` against
``persoon``, a BSN as a number). Each helper absorbs one such difference in one place, so
that the adapters read like the field maps in ``shared/domain/STANDARDS.md``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from schildwacht.contract import bsn_is_valid
from schildwacht.ingest.adapters.base import AccountMap, AdapterOutput, raw_json

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
"""Contract timestamps without an offset are local time here."""

_TRUE = frozenset({"true", "ja", "j", "yes", "y", "1"})


@lru_cache(maxsize=8192)  # sources repeat the same few key names millions of times
def norm_key(key: str) -> str:
    """Keys compared without case, ``_`` or ``-``: ``traceId``, ``trace_id``, ``TraceID`` agree."""
    return key.replace("_", "").replace("-", "").lower()


class Fields:
    """A JSON object read tolerantly: keys match by ``norm_key``; ``null`` and ``""`` are absent.

    Anything that is not an object reads as an empty one, so nested look-ups never raise.
    """

    __slots__ = ("_index",)

    def __init__(self, obj: object) -> None:
        self._index: dict[str, Any] = {}
        if isinstance(obj, Mapping):
            for key, value in obj.items():
                self._index.setdefault(norm_key(str(key)), value)

    def get(self, *names: str) -> Any:
        """The first present value among ``names`` (raw JSON), else None."""
        for name in names:
            value = self._index.get(norm_key(name))
            if value is not None and value != "":
                return value
        return None

    def has(self, *names: str) -> bool:
        """True when any of ``names`` is present (even with a null value)."""
        return any(norm_key(name) in self._index for name in names)

    def text(self, *names: str) -> str | None:
        """The first present value as contract text (see ``as_text``)."""
        return as_text(self.get(*names))

    def folded(self, *names: str) -> str | None:
        """The value as case-folded text, for enum values delivered in any case."""
        value = self.text(*names)
        return value.casefold() if value is not None else None

    def sub(self, *names: str) -> Fields:
        """A nested object (empty when absent or not an object)."""
        return Fields(self.get(*names))

    def items(self, *names: str) -> list[Any]:
        """A nested array (empty when absent or not an array)."""
        value = self.get(*names)
        return value if isinstance(value, list) else []


def as_text(value: Any) -> str | None:
    """A JSON value as contract text: strings stripped, booleans ``true``/``false``, absent None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        stripped = value.strip()
        return stripped or None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return str(value)
    return raw_json(value)


def is_true(value: Any) -> bool:
    """Booleans as sources write them: ``true``, ``"true"``, ``"Ja"``, ``1``."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    return isinstance(value, str) and value.strip().casefold() in _TRUE


def bool_text(value: Any) -> str:
    """Contract boolean text; absent means false (as for ``geheimhoudingPersoonsgegevens``)."""
    return "true" if is_true(value) else "false"


def bsn_text(value: Any) -> str | None:
    """A BSN as text. Validation is the pipeline's job; only numbers are padded.

    A JSON number has lost its leading zeros, so it is padded to 9 digits when the padded value
    passes the elfproef (``shared/domain/STANDARDS.md`` §6); a string is taken as written.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        digits = str(value)
        padded = digits.zfill(9)
        return padded if len(digits) < 9 and bsn_is_valid(padded) else digits
    return as_text(value)


def last_path_segment(url: str | None) -> str | None:
    """The last segment of a URL path, lower-cased: a ZGW resource uuid or a BRP BSN."""
    if not url:
        return None
    segment = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
    return segment.lower() or None


def parse_instant(text: str | None) -> datetime | None:
    """An ISO 8601 timestamp as an aware datetime; without offset it is Amsterdam local time."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=AMSTERDAM)


def local_day(text: str | None) -> date | None:
    """The Amsterdam calendar day of a timestamp, for account-map validity (None if unknown)."""
    moment = parse_instant(text)
    return moment.astimezone(AMSTERDAM).date() if moment is not None else None


def count(out: AdapterOutput, key: str, n: int = 1) -> None:
    """Add ``n`` input records to an ``auxiliary`` count (zero counts are not written)."""
    if n:
        out.auxiliary[key] = out.auxiliary.get(key, 0) + n


_VERSION_WORD = re.compile(
    r"^(?:(?:v|versie|version)\.?\d+(?:[._-][0-9a-z]+)*|\d+(?:[._-][0-9a-z]+)*|versie|version)$",
    re.IGNORECASE,
)
_PARENTHESES = re.compile(r"\([^)]*\)")


class SystemNames:
    """Short ``source_system`` names for application names found in logs (``FooBarApp v2.1``).

    ``AdapterContext.source_system_names`` wins (matched exactly, then without case, then on
    the default short name); the default is the name lower-cased without version words, and
    for a URL its host (``http://aanvraag`` becomes ``aanvraag``).
    """

    def __init__(self, overrides: Mapping[str, str]) -> None:
        self._overrides = dict(overrides)
        self._folded = {key.casefold(): value for key, value in overrides.items()}
        self._cache: dict[str, str] = {}

    def __call__(self, raw: str) -> str:
        name = self._cache.get(raw)
        if name is None:
            default = default_system_name(raw)
            name = self._overrides.get(raw) or self._folded.get(raw.casefold())
            name = name or self._overrides.get(default) or default
            self._cache[raw] = name
        return name


def default_system_name(raw: str) -> str:
    """``FooBarApp v2.1`` → ``foobarapp``; ``Mijn Zaken 3.2`` → ``mijn-zaken``."""
    name = raw.strip()
    if "://" in name:
        name = urlsplit(name).hostname or name
    words = _PARENTHESES.sub(" ", name).split()
    kept = [word for word in words if not _VERSION_WORD.match(word)] or words
    return "-".join(kept).lower()


# Dutch (and a few English) verb stems → contract action. Matched against the start of each
# word of an action name, in the order the words appear; nouns that merely contain a stem
# ("basisregistratie") do not match because the stem must start the word.
ACTION_STEMS: tuple[tuple[str, str], ...] = (
    ("zoek", "search"),
    ("gezocht", "search"),
    ("search", "search"),
    ("raadple", "view"),
    ("geraadpleeg", "view"),
    ("opvra", "view"),
    ("opgevraag", "view"),
    ("inzien", "view"),
    ("inzage", "view"),
    ("ingezien", "view"),
    ("view", "view"),
    ("read", "view"),
    ("wijzig", "update"),
    ("gewijzig", "update"),
    ("bijwerk", "update"),
    ("bijgewerk", "update"),
    ("update", "update"),
    ("aanmak", "create"),
    ("aanmaak", "create"),
    ("aangemaak", "create"),
    ("registre", "create"),
    ("geregistre", "create"),
    ("toevoeg", "create"),
    ("toegevoeg", "create"),
    ("create", "create"),
    ("verwijder", "delete"),
    ("delete", "delete"),
    ("exporte", "export"),
    ("geëxporte", "export"),
    ("geexporte", "export"),
    ("export", "export"),
    ("afdruk", "print"),
    ("afgedruk", "print"),
    ("print", "print"),
    ("geprint", "print"),
)
_WORD = re.compile(r"[^\W\d_]+")


def action_from_names(*names: str | None) -> str | None:
    """The contract action named by the first of ``names`` that contains a known verb.

    ``Zoeken personen`` → ``search``, ``Opvragen persoonsgegevens`` → ``view``. Returns None
    when no name has a known verb; callers then default to ``view``, the least alarming reading
    that still counts the access.
    """
    for name in names:
        if not name:
            continue
        for word in _WORD.findall(name.casefold()):
            for stem, action in ACTION_STEMS:
                if word.startswith(stem):
                    return action
    return None


def unknown_account_reason(
    accounts: AccountMap, system: str, account: str, day: date | None
) -> str:
    """Why ``account`` of ``system`` has no employee, and what to do about it."""
    if accounts.lookup(system, account, None) is not None:
        return (
            f"account {account!r} of system {system!r} is in account_map.csv, but no row is "
            f"valid on {day}: check valid_from/valid_to (an account used outside its validity "
            "may itself be worth investigating)"
        )
    return (
        f"account {account!r} of system {system!r} is not in the account map: add a row "
        f"'{system},{account},<employee_id>' to account_map.csv and ingest this file again"
    )

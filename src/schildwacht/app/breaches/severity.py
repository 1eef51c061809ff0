"""The ENISA severity score of a personal data breach: SE = DPC x EI + CB.

Source: ENISA, *Recommendations for a methodology of the assessment of severity of personal
data breaches* v1.0 (2013), as summarised in ``BREACH.md`` §5. DPC (data processing context)
rates the data in context, EI (ease of identification) corrects it, and CB (circumstances of
the breach) only adds. The tables below are that section's tables, as data, so a reviewer can
hold them against the source line by line.

Every value is a multiple of 0.25, which binary floating point represents exactly: the band
boundaries 2, 3 and 4 are compared without rounding error.

ENISA sets no notification threshold; the score feeds the decision (``BREACH.md`` §6), it does
not make it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from enum import StrEnum
from types import MappingProxyType
from typing import Any, TypeVar

from schildwacht.errors import UserError


class Context(StrEnum):
    """The data processing context: which kind of data (ENISA Annex 1, Table 1)."""

    simple = "simple"  # biographical, contact details, name, family life
    behavioural = "behavioural"  # location, traffic data, preferences, habits
    financial = "financial"  # income, transactions; includes social-welfare data on money
    sensitive = "sensitive"  # health, political affiliation, sexual life


class Identification(StrEnum):
    """How easily the data lead to a person (ENISA section 3.1.2, Annex 2)."""

    negligible = "negligible"
    limited = "limited"
    significant = "significant"
    maximum = "maximum"


class Confidentiality(StrEnum):
    """Loss of confidentiality (ENISA Annex 3)."""

    none = "none"  # exposed, no evidence of illegal processing
    known = "known"  # disclosed to a number of known recipients (e.g. the employee)
    unknown = "unknown"  # disclosed to an unknown number of recipients (passed on)


class Integrity(StrEnum):
    """Loss of integrity (ENISA Annex 3)."""

    none = "none"  # altered, no incorrect or illegal use identified
    recoverable = "recoverable"  # altered, possibly misused, recoverable
    irrecoverable = "irrecoverable"  # altered, possibly misused, not recoverable


class Availability(StrEnum):
    """Loss of availability (ENISA Annex 3)."""

    none = "none"  # recoverable without difficulty
    temporary = "temporary"  # temporarily unavailable
    permanent = "permanent"  # fully unavailable


class Band(StrEnum):
    """The severity level: SE < 2 low, 2 to < 3 medium, 3 to < 4 high, 4 and up very high."""

    low = "low"
    medium = "medium"
    high = "high"
    very_high = "very_high"


class Motive(StrEnum):
    """Why the employee looked, as far as the investigation established it."""

    accidental = "accidental"  # typo, wrong record, closed at once
    curiosity = "curiosity"  # a private purpose without harm or profit
    harm = "harm"  # to harm the person (stalking an ex-partner, intimidation)
    profit = "profit"  # for money or another advantage (selling addresses)
    unknown = "unknown"  # intentional, purpose not established


BASIC_DPC: Mapping[Context, int] = MappingProxyType(
    {Context.simple: 1, Context.behavioural: 2, Context.financial: 3, Context.sensitive: 4}
)
"""Annex 1, Table 1, column "Basic"."""

DPC_MIN, DPC_MAX = 1, 4
"""'Any category may end anywhere from 1 to 4' (``BREACH.md`` §5, DPC)."""

EI_VALUES: Mapping[Identification, float] = MappingProxyType(
    {Identification.negligible: 0.25, Identification.limited: 0.5,
     Identification.significant: 0.75, Identification.maximum: 1.0}
)  # fmt: skip
"""Section 3.1.2: negligible 0.25, limited 0.5, significant 0.75, maximum 1."""

CB_CONFIDENTIALITY: Mapping[Confidentiality, float] = MappingProxyType(
    {Confidentiality.none: 0.0, Confidentiality.known: 0.25, Confidentiality.unknown: 0.5}
)
CB_INTEGRITY: Mapping[Integrity, float] = MappingProxyType(
    {Integrity.none: 0.0, Integrity.recoverable: 0.25, Integrity.irrecoverable: 0.5}
)
CB_AVAILABILITY: Mapping[Availability, float] = MappingProxyType(
    {Availability.none: 0.0, Availability.temporary: 0.25, Availability.permanent: 0.5}
)
CB_MALICIOUS = 0.5
"""Annex 3: intentional, to harm the individuals or the controller, or for profit."""

BAND_FLOORS: tuple[tuple[float, Band], ...] = ((4.0, Band.very_high), (3.0, Band.high),
                                                (2.0, Band.medium))  # fmt: skip
"""Lower bounds, inclusive: exactly 2 is medium, exactly 3 high, exactly 4 very high."""

_DUTCH: Mapping[type[StrEnum], Mapping[str, str]] = MappingProxyType(
    {
        Context: {
            "simple": "eenvoudig", "behavioural": "gedrag", "financial": "financieel",
            "sensitive": "gevoelig",
        },
        Identification: {
            "negligible": "verwaarloosbaar", "limited": "beperkt", "significant": "aanzienlijk",
            "maximum": "maximaal",
        },
        Confidentiality: {
            "none": "geen", "known": "bekende ontvanger(s)",
            "unknown": "onbekend aantal ontvangers",
        },
        Integrity: {"none": "geen", "recoverable": "herstelbaar", "irrecoverable": "onherstelbaar"},
        Availability: {"none": "geen", "temporary": "tijdelijk", "permanent": "blijvend"},
        Band: {"low": "laag", "medium": "gemiddeld", "high": "hoog", "very_high": "zeer hoog"},
        Motive: {
            "accidental": "vergissing", "curiosity": "nieuwsgierigheid",
            "harm": "schade toebrengen", "profit": "gewin", "unknown": "onbekend",
        },
    }
)  # fmt: skip

AP_SEVERITY: Mapping[Band, str] = MappingProxyType(
    {Band.low: "verwaarloosbaar", Band.medium: "beperkt", Band.high: "aanzienlijk",
     Band.very_high: "zeer groot"}
)  # fmt: skip
"""The AP form's question 9.3 for each band ([project mapping], ``BREACH.md`` §9)."""


def dutch(member: StrEnum) -> str:
    """The Dutch label of a code, for the web app and the CLI's bilingual table."""
    return _DUTCH[type(member)][member.value]


def english(member: StrEnum) -> str:
    """The English label of a code: the code itself, read as words."""
    return member.value.replace("_", " ")


def band_for(score: float) -> Band:
    """The ENISA level of a score; each boundary belongs to the higher band."""
    for floor, band in BAND_FLOORS:
        if score >= floor:
            return band
    return Band.low


@dataclass(frozen=True)
class SeverityAssessment:
    """One ENISA assessment with every component shown, as the issue asks: the assessor and
    the AP must be able to retrace the score. Build it with ``assess``."""

    context: Context
    dpc_basic: int
    dpc: int  # the DPC used: the basic score or a reasoned adjustment
    dpc_reason: str | None
    identification: Identification
    ei: float
    confidentiality: Confidentiality
    cb_confidentiality: float
    integrity: Integrity
    cb_integrity: float
    availability: Availability
    cb_availability: float
    malicious: bool
    cb_malicious: float
    cb: float
    score: float
    band: Band

    @property
    def adjusted(self) -> bool:
        """Whether the DPC departs from the basic score (and so carries a reason)."""
        return self.dpc != self.dpc_basic

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values: score and band first, then every component."""
        plain = {f.name: _plain(getattr(self, f.name)) for f in fields(self)}
        score, band = plain.pop("score"), plain.pop("band")
        return {"score": score, "band": band, "band_nl": dutch(self.band), **plain}


def _plain(value: object) -> object:
    return value.value if isinstance(value, StrEnum) else value


E = TypeVar("E", bound=StrEnum)


def member(kind: type[E], value: E | str, what: str) -> E:
    """``value`` as a member of ``kind``; web forms and stored dossiers hand in plain codes."""
    try:
        return kind(value)
    except ValueError:
        allowed = "|".join(m.value for m in kind)
        raise UserError(f"onbekende {what} {value!r}; kies uit {allowed}") from None


def _dpc(context: Context, context_score: int | None, reason: str | None) -> tuple[int, str | None]:
    """The DPC to use and its reason. ENISA: a DPC that departs from the basic score needs a
    written explanation, so a departure without one is refused rather than silently kept."""
    basic = BASIC_DPC[context]
    note = (reason or "").strip() or None
    if context_score is None:
        return basic, note
    if isinstance(context_score, bool) or not isinstance(context_score, int):
        raise UserError(f"de DPC-score moet een geheel getal {DPC_MIN}-{DPC_MAX} zijn")
    if not DPC_MIN <= context_score <= DPC_MAX:
        raise UserError(
            f"DPC-score {context_score} valt buiten {DPC_MIN}-{DPC_MAX} (ENISA bijlage 1, tabel 1)"
        )
    if context_score != basic and note is None:
        raise UserError(
            f"DPC {context_score} wijkt af van de basisscore {basic} voor {context.value}: "
            "ENISA vraagt een schriftelijke toelichting (--reason)"
        )
    return context_score, note


def assess(
    *,
    context: Context | str,
    identification: Identification | str,
    confidentiality: Confidentiality | str = Confidentiality.none,
    integrity: Integrity | str = Integrity.none,
    availability: Availability | str = Availability.none,
    malicious: bool = False,
    context_score: int | None = None,
    reason: str | None = None,
) -> SeverityAssessment:
    """SE = DPC x EI + CB, with CB the sum of the four circumstance elements.

    ``context_score`` overrides the basic DPC of ``context`` (1-4); unless it equals the basic
    score it needs ``reason``. A ``reason`` without an override is kept: it documents why the
    basic score stands. Unknown codes and refused overrides raise ``UserError``.
    """
    ctx = member(Context, context, "context")
    ident = member(Identification, identification, "identification")
    conf = member(Confidentiality, confidentiality, "confidentiality")
    integ = member(Integrity, integrity, "integrity")
    avail = member(Availability, availability, "availability")
    dpc, note = _dpc(ctx, context_score, reason)
    ei = EI_VALUES[ident]
    parts = (CB_CONFIDENTIALITY[conf], CB_INTEGRITY[integ], CB_AVAILABILITY[avail])
    cb_malicious = CB_MALICIOUS if malicious else 0.0
    cb = sum(parts) + cb_malicious
    score = dpc * ei + cb
    return SeverityAssessment(
        context=ctx, dpc_basic=BASIC_DPC[ctx], dpc=dpc, dpc_reason=note,
        identification=ident, ei=ei,
        confidentiality=conf, cb_confidentiality=parts[0],
        integrity=integ, cb_integrity=parts[1],
        availability=avail, cb_availability=parts[2],
        malicious=bool(malicious), cb_malicious=cb_malicious, cb=cb,
        score=score, band=band_for(score),
    )  # fmt: skip

"""Default severity for an employee's unauthorised look-up, derived from the evidence.

The privacy officer starts from these defaults and may change them; each rule cites the
``BREACH.md`` paragraph it follows, and every component comes with a Dutch explanation so the
assessment shows why it says what it says.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from schildwacht.app.breaches.severity import (
    BASIC_DPC,
    Availability,
    Confidentiality,
    Context,
    Identification,
    Integrity,
    Motive,
    SeverityAssessment,
    assess,
    dutch,
    member,
)

# --- Defaults from the evidence ---------------------------------------------------------
MALICIOUS_MOTIVES = frozenset({Motive.harm, Motive.profit})
"""ENISA Annex 3 counts intent 'to harm ... or for profit'; ``BREACH.md`` §5 (contract evidence
-> ENISA inputs): 'harm or profit motive (not curiosity) -> malicious +0.5'."""

CATEGORY_DPC: Mapping[str, tuple[Context, int, str]] = MappingProxyType(
    {
        # BREACH.md §5, contract evidence -> ENISA inputs: basis/adres/bsn -> Simple 1.
        "basis": (Context.simple, 1, "basisgegevens (naam, geboortedatum)"),
        "adres": (Context.simple, 1, "adres (contactgegevens)"),
        "bsn": (Context.simple, 1, "BSN"),
        # §5: financieel -> Financial 3-4; the basic 3 unless the assessor finds a full
        # financial profile (4), which the category alone cannot show.
        "financieel": (Context.financial, 3, "financiële gegevens"),
        # §5: gezondheid/jeugd/strafrechtelijk -> Sensitive 4.
        "gezondheid": (Context.sensitive, 4, "gezondheidsgegevens (bijzonder persoonsgegeven)"),
        "jeugd": (Context.sensitive, 4, "jeugdhulp (sociaal domein)"),
        "strafrechtelijk": (Context.sensitive, 4, "strafrechtelijke gegevens"),
        # [project, not in BREACH.md] codes a municipality may add beyond the contract's
        # examples. ENISA's Financial row includes social-welfare data on money (§5 Table 1);
        # §6 treats social-domain and health data alike; §4: the AP counts debts as sensitive.
        "belastingen": (Context.financial, 3, "gemeentelijke belastingen"),
        "uitkering": (Context.financial, 3, "uitkering (sociale zekerheid)"),
        "schulden": (Context.financial, 4, "(problematische) schulden"),
        "wmo": (Context.sensitive, 4, "Wmo-voorziening (sociaal domein, zorg)"),
    }
)
"""Data category code (contract ``events.data_categories``) -> ENISA context, DPC, wording."""

WATCHLIST_DPC: Mapping[str, tuple[int, str]] = MappingProxyType(
    {
        # §5: watchlist public_figure/politician/official -> 2 (ENISA's contextual factor
        # 'the individuals, e.g. members of parliament'; Simple +1).
        "public_figure": (2, "bekende Nederlander: de persoon zelf verhoogt de DPC"),
        "politician": (2, "politicus: de persoon zelf verhoogt de DPC"),
        "official": (2, "bestuurder: de persoon zelf verhoogt de DPC"),
        # §5: protected -> 4 (Simple +3: critical for personal safety).
        "protected": (4, "beschermd persoon: kritiek voor de persoonlijke veiligheid"),
        # [project] 'other' is not in §5; the municipality marked the person for extra
        # protection, and §4 says to err on the side of caution: treated like a public figure.
        "other": (2, "op de attentielijst: extra bescherming"),
    }
)
"""Watchlist category (contract ``watchlist.category``) -> DPC within Simple, wording."""


@dataclass(frozen=True)
class _Candidate:
    context: Context
    score: int
    ground: str


@dataclass(frozen=True)
class SeverityDefaults:
    """The default assessment for a confirmed look-up and, per component, the ground for it
    (in Dutch, for the dossier): the issue asks for defaults derived from the evidence that
    the assessor can see and change."""

    assessment: SeverityAssessment
    grounds: Mapping[str, str]  # component (dpc, ei, confidentiality, malicious) -> why


def _category_candidates(categories: Iterable[str]) -> list[_Candidate]:
    found = []
    for code in dict.fromkeys(c.strip().lower() for c in categories):
        if code in CATEGORY_DPC:
            context, score, label = CATEGORY_DPC[code]
            found.append(_Candidate(context, score, f"{label}: {dutch(context)} {score}"))
        elif code:
            # [project] §5 lists no rule for an unknown code; the data were seen, so they
            # count at least as simple data, and the ground asks the assessor to check.
            text = f"onbekende categorie {code!r}: als eenvoudig 1 gerekend, controleer dit"
            found.append(_Candidate(Context.simple, 1, text))
    return found


def _person_candidates(
    watchlist: Iterable[str], confidential: bool, minor: bool, address: bool, motive: Motive
) -> list[_Candidate]:
    """Aggravating facts about the person, all within Simple (ENISA Table 1, Simple row).
    A watchlist category the table does not know counts as 'other' (the contract says new
    categories may appear; the person was still marked for protection)."""
    found = []
    for category in dict.fromkeys(w.strip().lower() for w in watchlist):
        score, text = WATCHLIST_DPC.get(category, WATCHLIST_DPC["other"])
        found.append(_Candidate(Context.simple, score, f"{text} (eenvoudig {score})"))
    if confidential:  # §5: citizens.confidential -> 4
        text = "geheimhouding persoonsgegevens: kritiek voor de persoonlijke veiligheid"
        found.append(_Candidate(Context.simple, 4, f"{text} (eenvoudig 4)"))
    if minor:  # §5: minors -> 4 (Table 1, Simple +3: vulnerable groups, minors)
        found.append(_Candidate(Context.simple, 4, "minderjarige (eenvoudig 4)"))
    if address and motive in MALICIOUS_MOTIVES:
        # [project] generalises §5's worked examples 'ex-partner's address' and 'addresses
        # sold to criminals' (both DPC 4): an address in the hands of someone who means harm
        # or sells it is critical for personal safety (Table 1, Simple +3).
        text = "adres met kwade opzet gezocht of doorgegeven: kritiek voor de veiligheid"
        found.append(_Candidate(Context.simple, 4, f"{text} (eenvoudig 4)"))
    return found


def _highest(candidates: list[_Candidate]) -> _Candidate:
    """§5: 'take the highest DPC'. On a tie the candidate at its basic score wins, so the
    assessment carries an adjustment only when one is needed."""
    if not candidates:
        return _Candidate(Context.simple, 1, "geen gegevenscategorieën bekend: eenvoudig 1")
    return max(candidates, key=lambda c: (c.score, c.score == BASIC_DPC[c.context]))


def default_severity(
    *,
    data_categories: Iterable[str] = (),
    watchlist_categories: Iterable[str] = (),
    confidential: bool = False,
    minor: bool = False,
    identified: bool = True,
    passed_on: bool = False,
    motive: Motive | str = Motive.unknown,
    integrity: Integrity | str = Integrity.none,
    availability: Availability | str = Availability.none,
) -> SeverityDefaults:
    """The default ENISA assessment of an employee's unauthorised look-up, from the evidence.

    Rules (``BREACH.md`` §5, 'Contract evidence -> ENISA inputs', unless marked [project]):

    - DPC: each data category and each fact about the person gives a candidate
      (``CATEGORY_DPC``, ``WATCHLIST_DPC``, geheimhouding and minors 4); the highest wins.
    - EI: records reached by BSN or name show name + BSN + address -> maximum (§5 'name +
      BSN + address -> EI 1'; the BSN row 'reference data also available' -> 1). [project]
      Otherwise significant (0.75), not lower: §4 says to err on the side of caution.
    - Confidentiality: seen only by the employee -> known (+0.25); passed on -> unknown
      (+0.5), as §5 says, although one known recipient would be +0.25 in ENISA's own words.
    - Malicious: harm or profit motive -> +0.5; curiosity, accident and an unestablished
      purpose are not (§5 'not curiosity'; §6 groups 'private or unknown' purposes with
      curiosity). The assessor sets it when the investigation shows otherwise.
    - Integrity and availability: none for a look-up (§2: integrity only if data were
      changed); pass them in when the evidence shows changes or deletions.
    """
    why = member(Motive, motive, "motive")
    categories = [c.strip().lower() for c in data_categories]
    candidates = _category_candidates(categories) + _person_candidates(
        watchlist_categories, confidential, minor, "adres" in categories, why
    )
    chosen = _highest(candidates)
    basic = chosen.score == BASIC_DPC[chosen.context]
    others = [c.ground for c in sorted(candidates, key=lambda c: -c.score) if c is not chosen]
    dpc_ground = "; ".join([chosen.ground, *others])
    assessment = assess(
        context=chosen.context,
        context_score=None if basic else chosen.score,
        reason=None if basic else chosen.ground,
        identification=Identification.maximum if identified else Identification.significant,
        confidentiality=Confidentiality.unknown if passed_on else Confidentiality.known,
        integrity=integrity,
        availability=availability,
        malicious=why in MALICIOUS_MOTIVES,
    )
    grounds = _grounds(dpc_ground, identified, passed_on, why)
    return SeverityDefaults(assessment, MappingProxyType(grounds))


def _grounds(dpc: str, identified: bool, passed_on: bool, motive: Motive) -> dict[str, str]:
    ei = (
        "opgezocht op BSN of naam: naam, BSN en adres samen (maximaal, 1)"
        if identified
        else "niet op BSN of naam opgezocht: voorzichtigheidshalve aanzienlijk (0,75)"
    )
    conf = (
        "doorgegeven aan anderen: onbekend aantal ontvangers (+0,5)"
        if passed_on
        else "alleen gezien door de medewerker: bekende ontvanger (+0,25)"
    )
    malice = (
        f"motief {dutch(motive)}: opzet om te schaden of voor gewin (+0,5)"
        if motive in MALICIOUS_MOTIVES
        else f"motief {dutch(motive)}: geen kwade opzet in de zin van ENISA (+0)"
    )
    return {"dpc": dpc, "ei": ei, "confidentiality": conf, "malicious": malice}

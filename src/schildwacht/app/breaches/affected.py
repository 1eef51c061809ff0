"""Who was affected by a breach: from the evidence events, or summarised from the alerts.

The issue asks for the affected people 'from the evidence events: how many, which data
categories, minors, confidential addresses, watchlist categories' (the AP form's 6.1, 6.3.1,
7.1 and 7.3). ``affected_from_events`` does that: it reads each confirmed alert's evidence
events from the event store (the same reading as the alert page) and the BRP facts of the
people in them (``citizens``: birth date, *geheimhouding*; ``watchlist``), so

- people: distinct ``subject_bsn`` of the events; records: the events themselves;
- data categories: the union of the events' ``data_categories``;
- minors: people under 18 on the day their data was consulted (BRP ``birth_date``);
- confidential addresses: people with ``confidential`` set; watchlist: their categories.

Without an event store (a dossier opened where only the database is at hand, or the store
no longer holds the events) ``affected_from_alerts`` summarises the ``alerts`` rows instead:

- people: distinct ``subject_bsns`` (counted, never copied into the dossier: data
  minimisation; the BSNs stay in the alerts);
- records: distinct ``event_ids`` (AP form 6.3.1);
- minors: subjects of alerts carrying the ``minor`` modifier; confidential addresses: subjects
  of ``confidential`` alerts; watchlist categories: the ``watchlist`` reasons' ``category``.
  These facts are stored per alert, so for an alert about several people they are an upper
  bound (said in ``gaps``);
- data categories: a reason's ``details["data_categories"]`` when detection puts them there
  (it does not yet); the ``sensitive_data`` modifier only says that some were sensitive.

Gaps are listed in the summary itself, so the assessor sees what to complete by hand.
BSNs are counted, never copied into the dossier (data minimisation; they stay in the alerts).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

import duckdb
import sqlalchemy as sa
from sqlalchemy.orm import Session

from schildwacht.app.alerts.models import Alert, AlertRecord
from schildwacht.app.breaches.defaults import SeverityDefaults, default_severity
from schildwacht.app.breaches.severity import Motive
from schildwacht.app.evidence.models import EvidenceEvent
from schildwacht.app.evidence.reading import stored_files
from schildwacht.app.evidence.service import alert_evidence
from schildwacht.errors import UserError
from schildwacht.store.store import Store

SENSITIVE_CATEGORIES = frozenset({"gezondheid", "jeugd", "strafrechtelijk", "financieel"})
"""Contract data categories that ``defaults.CATEGORY_DPC`` scores above Simple."""
MINOR_CODE = "minor"  # the modifier code of detect/scenarios/_common.py
SENSITIVE_CODE = "sensitive_data"
CONFIDENTIAL_SCENARIO = "confidential"
WATCHLIST_SCENARIO = "watchlist"

GAP_EVENTS = (
    "samengevat uit de meldingen, niet uit de afzonderlijke gebeurtenissen: controleer de "
    "gegevenscategorieën in het bewijs"
)
GAP_SENSITIVE = "gevoelige gegevens geraadpleegd, maar de categorie is onbekend: vul die aan"
GAP_SEVERAL = (
    "een melding over meer personen: minderjarigen en geheimhouding zijn per melding bekend, "
    "de aantallen zijn een bovengrens"
)
GAP_BY_HAND = "handmatig geopend: getroffen personen nog niet vastgelegd"
GAP_NO_CITIZENS = (
    "de BRP-gegevens (geboortedatum, geheimhouding) van de betrokkenen ontbreken in de "
    "opslag: minderjarigen en geheime adressen zijn niet te tellen"
)
GAP_NO_EVENTS = "niet alle bewijsgebeurtenissen staan nog in de opslag: aangevuld uit de meldingen"
ADULT_AGE = 18


@dataclass(frozen=True)
class AffectedSummary:
    """Counts and categories of the people affected, and what is still unknown."""

    people: int
    records: int
    alert_ids: tuple[str, ...]
    data_categories: tuple[str, ...]
    sensitive_data: bool
    minors: int
    confidential_addresses: int
    watchlist_categories: tuple[str, ...]
    gaps: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON values for the ``breaches.affected`` column."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}


def nobody_yet() -> AffectedSummary:
    """The summary of a dossier opened by hand, before anyone is known."""
    return AffectedSummary(0, 0, (), (), False, 0, 0, (), (GAP_BY_HAND,))


def _codes(alert: AlertRecord) -> set[str]:
    return {str(r.get("code", "")) for r in alert.reasons}


def summarise(alerts: Sequence[AlertRecord]) -> AffectedSummary:
    """The summary of the people in ``alerts`` (pure: no database access)."""
    people: set[str] = set()
    minors: set[str] = set()
    confidential: set[str] = set()
    categories: dict[str, None] = {}
    watchlist: dict[str, None] = {}
    events: set[str] = set()
    sensitive = several = False
    for alert in alerts:
        subjects = set(alert.subject_bsns)
        people |= subjects
        events |= set(alert.event_ids)
        several |= len(subjects) > 1
        codes = _codes(alert)
        sensitive |= SENSITIVE_CODE in codes
        if MINOR_CODE in codes:
            minors |= subjects
        if CONFIDENTIAL_SCENARIO in alert.scenarios:
            confidential |= subjects
        for reason in alert.reasons:
            details = reason.get("details") or {}
            categories.update(dict.fromkeys(str(c) for c in details.get("data_categories", ())))
            if reason.get("scenario") == WATCHLIST_SCENARIO and "category" in details:
                watchlist[str(details["category"])] = None
    gaps = [GAP_EVENTS]
    if sensitive and not categories:
        gaps.append(GAP_SENSITIVE)
    if several and (minors or confidential):
        gaps.append(GAP_SEVERAL)
    return AffectedSummary(
        people=len(people), records=len(events),
        alert_ids=tuple(sorted(a.alert_id for a in alerts)),
        data_categories=tuple(categories), sensitive_data=sensitive, minors=len(minors),
        confidential_addresses=len(confidential), watchlist_categories=tuple(watchlist),
        gaps=tuple(gaps),
    )  # fmt: skip


def affected_from_alerts(session: Session, alert_ids: Iterable[str]) -> AffectedSummary:
    """The summary of the stored alerts ``alert_ids`` (unknown ids are ignored)."""
    query = sa.select(AlertRecord).where(AlertRecord.alert_id.in_(list(alert_ids)))
    return summarise(list(session.execute(query).scalars()))


GAP_ENTERED = "met de hand vastgelegd: aantallen en categorieën komen uit het onderzoek"
DATA_CATEGORIES = ("basis", "adres", "bsn", "financieel", "gezondheid", "strafrechtelijk", "jeugd")
"""The contract's data category codes (``events.data_categories``), for entering by hand."""
WATCHLIST_CATEGORIES = ("public_figure", "politician", "official", "protected", "other")
"""The contract's watchlist categories."""


def entered_by_hand(
    *, people: int, records: int, data_categories: Iterable[str], minors: int,
    confidential_addresses: int, watchlist_categories: Iterable[str],
    alert_ids: Iterable[str] = (),
) -> AffectedSummary:  # fmt: skip
    """The summary a privacy officer enters for a dossier the evidence does not cover (a tip,
    the Rijksrecherche's findings); refuses counts that cannot be right."""
    if min(people, records, minors, confidential_addresses) < 0:
        raise UserError("getroffen personen: aantallen kunnen niet negatief zijn")
    if people < 1:
        raise UserError("getroffen personen: een datalek treft ten minste één persoon")
    if minors > people or confidential_addresses > people:
        raise UserError("getroffen personen: minderjarigen en geheime adressen zijn deel van "
                        "het aantal personen")  # fmt: skip
    if records < people:
        raise UserError("getroffen personen: elke persoon is ten minste één keer geraadpleegd")
    categories = [c for c in dict.fromkeys(data_categories) if c]
    if unknown := [c for c in categories if c not in DATA_CATEGORIES]:
        raise UserError(f"getroffen personen: onbekende gegevenscategorie {unknown[0]!r}")
    listed = [c for c in dict.fromkeys(watchlist_categories) if c]
    if unknown := [c for c in listed if c not in WATCHLIST_CATEGORIES]:
        raise UserError(f"getroffen personen: onbekende categorie {unknown[0]!r}")
    return AffectedSummary(
        people=people, records=records, alert_ids=tuple(alert_ids),
        data_categories=tuple(categories),
        sensitive_data=any(c in SENSITIVE_CATEGORIES for c in categories), minors=minors,
        confidential_addresses=confidential_addresses, watchlist_categories=tuple(listed),
        gaps=(GAP_ENTERED,),
    )  # fmt: skip


def stored_alerts(session: Session, alert_ids: Iterable[str]) -> list[Alert]:
    """The stored alerts ``alert_ids`` as read models (unknown ids are ignored)."""
    query = sa.select(AlertRecord.__table__).where(AlertRecord.alert_id.in_(list(alert_ids)))
    return [Alert.from_row(row) for row in session.execute(query).mappings()]


EVIDENCE_LIMIT = 100_000
"""Events read per alert; far above any alert detection makes (bulk alerts hold hundreds)."""


def _people_facts(store: Store, bsns: Sequence[str]) -> dict[str, dict[str, Any]] | None:
    """BRP birth date and *geheimhouding*, and watchlist categories, per BSN; None when the
    store holds no ``citizens`` table. Values are bound as parameters, never SQL text."""
    tables = stored_files(store)
    if not tables.get("citizens") or not bsns:
        return None
    con = duckdb.connect()
    try:
        rows = con.execute(
            "SELECT bsn, birth_date, coalesce(confidential, false) FROM read_parquet(?) "
            "WHERE bsn IN (SELECT unnest(?))",
            [tables["citizens"], list(bsns)],
        ).fetchall()
        facts: dict[str, dict[str, Any]] = {
            b: {"birth_date": born, "confidential": bool(secret), "watchlist": []}
            for b, born, secret in rows
        }
        if tables.get("watchlist"):
            listed = con.execute(
                "SELECT DISTINCT bsn, category FROM read_parquet(?) "
                "WHERE bsn IN (SELECT unnest(?)) ORDER BY category",
                [tables["watchlist"], list(bsns)],
            ).fetchall()
            for bsn, category in listed:
                facts.setdefault(bsn, {"birth_date": None, "confidential": False,
                                       "watchlist": []})["watchlist"].append(category)  # fmt: skip
    finally:
        con.close()
    return facts


def age_on(born: date, day: date) -> int:
    """Age in whole years on ``day`` (a birthday counts from the day itself)."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _minors(events: Sequence[EvidenceEvent], facts: Mapping[str, Mapping[str, Any]]) -> int:
    """People under 18 on the day (Amsterdam) any of their data was consulted."""
    young = set()
    for event in events:
        born = facts.get(event.subject_bsn or "", {}).get("birth_date")
        if born is not None and age_on(born, event.occurred_at.date()) < ADULT_AGE:
            young.add(event.subject_bsn)
    return len(young)


def affected_from_events(store: Store, alerts: Sequence[Alert]) -> AffectedSummary:
    """The summary of the people in the evidence events of ``alerts`` (see module doc)."""
    events = [e for a in alerts for e in alert_evidence(store, a, limit=EVIDENCE_LIMIT)]
    unique = list({e.event_key: e for e in events if e.subject_bsn}.values())
    people = sorted({e.subject_bsn for e in unique if e.subject_bsn})
    gaps = []
    expected = {k for a in alerts for k in a.event_ids}
    missing = bool(expected - {e.event_key for e in events})
    if missing:  # count what the alerts say rather than undercount
        gaps.append(GAP_NO_EVENTS)
        people = sorted(set(people) | {b for a in alerts for b in a.subject_bsns})
    facts = _people_facts(store, people)
    if facts is None:
        gaps.append(GAP_NO_CITIZENS)
    known = facts or {}
    categories = dict.fromkeys(c for e in unique for c in e.data_categories)
    watchlist = dict.fromkeys(c for b in people for c in known.get(b, {}).get("watchlist", []))
    return AffectedSummary(
        people=len(people), records=len(expected) if missing else len(unique),
        alert_ids=tuple(sorted(a.alert_id for a in alerts)),
        data_categories=tuple(sorted(categories)),
        sensitive_data=any(c in SENSITIVE_CATEGORIES for c in categories),
        minors=_minors(unique, known),
        confidential_addresses=sum(1 for b in people if known.get(b, {}).get("confidential")),
        watchlist_categories=tuple(watchlist), gaps=tuple(gaps),
    )  # fmt: skip


def severity_defaults(
    affected: Mapping[str, Any],
    *,
    motive: Motive | str = Motive.unknown,
    passed_on: bool = False,
    data_categories: Iterable[str] = (),
) -> SeverityDefaults:
    """The default ENISA assessment for a stored summary (``breaches.affected``).

    The motive and whether the data were passed on come from the investigation, not from the
    alerts, so the assessor supplies them; ``data_categories`` adds categories the summary
    lacks (see ``GAP_SENSITIVE``).
    """
    return default_severity(
        data_categories=[*affected.get("data_categories", ()), *data_categories],
        watchlist_categories=affected.get("watchlist_categories", ()),
        confidential=bool(affected.get("confidential_addresses")),
        minor=bool(affected.get("minors")),
        passed_on=passed_on,
        motive=motive,
    )

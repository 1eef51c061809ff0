"""Who was affected by a breach, summarised from the stored alerts.

The issue asks for the affected people 'from the evidence events: how many, which data
categories, minors, confidential addresses, watchlist categories'. Reading the events means
the evidence store, which the app database does not hold; the alerts do carry enough for a
first summary, and the breach dossier needs one the moment it opens (the AP form's 6.1, 6.3.1,
7.1 and 7.3). So this module reads only the ``alerts`` rows:

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
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from schildwacht.app.alerts.models import AlertRecord
from schildwacht.app.breaches.defaults import SeverityDefaults, default_severity
from schildwacht.app.breaches.severity import Motive

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

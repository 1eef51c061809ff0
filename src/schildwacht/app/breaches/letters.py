"""Letters to the people affected by a breach (Art. 34 GDPR), in plain Dutch (B1).

Art. 34(2) and recital 86 ask for plain language: the nature of the breach, a contact point
(the FG), the likely consequences, the measures taken, and advice on what people can do
themselves. ``BREACH.md`` §7 adds the AP's recommendations: quickly, plainly, what happened,
which data, consequences, practical advice, measures, contact point. So a letter has four
parts: what happened, what it means for you, what the municipality does, what you can do.

Who gets one: every person in the breach's alerts (``subject_bsns``) whom the BRP extract
(``citizens``) knows and who is alive. A deceased person gets no letter and is counted; a
person the extract does not know cannot be addressed and is counted too. A person with
*geheimhouding* (confidential address) gets a letter marked for hand delivery through the
BRP-secured route, without the address printed on it.

Letters are refused unless informing the people was decided (the in-force
``inform_subjects`` decision says yes) and no UAVG art. 41 postponement is in force.

A letter never names the employee, nor gives a pseudonym, and prints at most the last three
digits of the BSN. Measures are printed as recorded: write them without naming the employee.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import duckdb
from sqlalchemy.orm import Session

from schildwacht.app.breaches.affected import ADULT_AGE, age_on
from schildwacht.app.breaches.deadline import AMSTERDAM
from schildwacht.app.breaches.models import Breach, DecisionKind
from schildwacht.app.breaches.notification import AlertFacts, alert_facts
from schildwacht.app.breaches.wording import CATEGORY_PLAIN, day
from schildwacht.app.evidence.reading import stored_files
from schildwacht.app.evidence.service import display_name
from schildwacht.config import OrganisationSettings
from schildwacht.errors import NotFound, UserError
from schildwacht.store.store import Store

FINANCIAL = frozenset({"financieel", "belastingen", "uitkering", "schulden"})
CARE = frozenset({"gezondheid", "wmo", "jeugd"})
AP_SITE = "www.autoriteitpersoonsgegevens.nl"


@dataclass(frozen=True)
class Recipient:
    """One person who gets a letter. ``bsn`` stays here: templates get ``bsn_tail``."""

    reference: str  # the letter's *kenmerk*, e.g. "DL7-002"
    bsn: str
    name: str
    postcode: str | None
    house_number: str | None
    confidential: bool  # geheimhouding: hand delivery, no address printed
    minor: bool  # addressed to the parents or guardians

    @property
    def bsn_tail(self) -> str:
        return self.bsn[-3:]


@dataclass(frozen=True)
class LetterText:
    """What every letter of one breach says; the same for each person."""

    date: str
    sender: str
    period: str | None  # "tussen 2 maart 2026 en 5 maart 2026", or "op 2 maart 2026"
    data: tuple[str, ...]
    meaning: tuple[str, ...]
    measures: tuple[str, ...]
    ap_notified: bool
    advice: tuple[str, ...]
    fg_name: str
    fg_contact: tuple[str, ...]


@dataclass(frozen=True)
class LetterBatch:
    """The letters of one breach, and who gets none and why."""

    breach_id: int
    text: LetterText
    recipients: tuple[Recipient, ...]
    deceased: int
    unknown: int  # not in the BRP extract: no name or address to write to

    def only(self, reference: str) -> LetterBatch:
        """The batch with just the letter ``reference`` (the single-recipient variant)."""
        chosen = tuple(r for r in self.recipients if r.reference == reference)
        if not chosen:
            raise NotFound(f"brief {reference!r} hoort niet bij datalek {self.breach_id}")
        return LetterBatch(self.breach_id, self.text, chosen, 0, 0)


def check_may_inform(breach: Breach) -> None:
    """Refuse letters unless informing was decided and not postponed (``UserError``)."""
    postpone = breach.in_force(DecisionKind.postpone_art41)
    if postpone is not None and postpone.value:
        review = day(postpone.review_on) if postpone.review_on else "de herbeoordeling"
        raise UserError(
            "het informeren van de betrokkenen is uitgesteld op grond van artikel 41 UAVG "
            f"(herbeoordeling op {review}); maak de brieven pas als het uitstel is opgeheven"
        )
    inform = breach.in_force(DecisionKind.inform_subjects)
    if inform is None or not inform.value:
        raise UserError(
            "er is niet besloten de betrokkenen te informeren; neem eerst dat besluit "
            "(art. 34 AVG) voordat u brieven maakt"
        )


def letter_batch(
    session: Session, store: Store, breach: Breach, *, organisation: OrganisationSettings,
    now: datetime,
) -> LetterBatch:  # fmt: skip
    """The letters for ``breach``: its alerts' people joined with the BRP extract."""
    check_may_inform(breach)
    facts = alert_facts(session, breach)
    today = now.astimezone(AMSTERDAM).date()
    found = _citizens(store, facts.subject_bsns)
    recipients: list[Recipient] = []
    deceased = 0
    for bsn in facts.subject_bsns:
        row = found.get(bsn)
        if row is None:
            continue
        if row["deceased_on"] is not None:
            deceased += 1
            continue
        recipients.append(_recipient(breach.breach_id, len(recipients) + 1, row, today))
    unknown = sum(1 for b in facts.subject_bsns if b not in found)
    text = letter_text(breach, organisation=organisation, alerts=facts, now=now)
    return LetterBatch(breach.breach_id, text, tuple(recipients), deceased, unknown)


def _citizens(store: Store, bsns: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The BRP rows of ``bsns`` (bound as a parameter, never SQL text)."""
    files = stored_files(store).get("citizens")
    if not files or not bsns:
        return {}
    con = duckdb.connect()
    try:
        result = con.execute(
            "SELECT bsn, given_names, surname_prefix, surname, birth_date, postcode, "
            "house_number, coalesce(confidential, false) AS confidential, deceased_on "
            "FROM read_parquet(?) WHERE bsn IN (SELECT unnest(?))",
            [files, list(bsns)],
        )
        names = [d[0] for d in result.description]
        rows = [dict(zip(names, row, strict=True)) for row in result.fetchall()]
    finally:
        con.close()
    return {row["bsn"]: row for row in rows}


def _recipient(breach_id: int, n: int, row: dict[str, Any], today: date) -> Recipient:
    born = row["birth_date"]
    return Recipient(
        reference=f"DL{breach_id}-{n:03d}",
        bsn=str(row["bsn"]),
        name=display_name(row["given_names"], row["surname_prefix"], row["surname"]),
        postcode=row["postcode"] or None,
        house_number=row["house_number"] or None,
        confidential=bool(row["confidential"]),
        minor=born is not None and age_on(born, today) < ADULT_AGE,
    )


def _period(alerts: AlertFacts) -> str | None:
    if alerts.first_seen is None or alerts.last_seen is None:
        return None
    first, last = day(alerts.first_seen), day(alerts.last_seen)
    return f"op {first}" if first == last else f"tussen {first} en {last}"


def _meaning(breach: Breach, categories: Sequence[str]) -> list[str]:
    """The likely consequences in plain words, from the data and the severity."""
    severity = breach.severity or {}
    passed_on = severity.get("confidentiality") == "unknown"
    lines = []
    if "adres" in categories:
        lines.append("De medewerker weet nu waar u woont.")
    if passed_on:
        lines.append(
            "De medewerker heeft gegevens aan andere mensen gegeven. Misschien waren uw "
            "gegevens daarbij."
        )
    if FINANCIAL & set(categories):
        lines.append("De medewerker weet iets over uw geld, belastingen of schulden.")
    if CARE & set(categories):
        lines.append(
            "De medewerker weet iets over uw gezondheid, of over zorg of hulp die u krijgt."
        )
    if breach.band in ("high", "very_high"):
        lines.append(
            "Wij vinden dit ernstig. U kunt hier last van krijgen. Bijvoorbeeld als iemand uw "
            "gegevens misbruikt, of als u zich minder veilig voelt."
        )
    else:
        lines.append(
            "Wij denken dat de kans klein is dat u hier last van krijgt. Toch vinden wij dat "
            "u dit moet weten."
        )
    return lines


def _advice(breach: Breach, categories: Sequence[str]) -> list[str]:
    severity = breach.severity or {}
    risky = severity.get("confidentiality") == "unknown" or bool(severity.get("malicious"))
    lines = []
    if "adres" in categories and (risky or breach.affected.get("confidential_addresses")):
        lines.append("Voelt u zich niet veilig? Bel de politie: 0900 8844. Is er direct gevaar? "
                     "Bel dan 112.")  # fmt: skip
    if FINANCIAL & set(categories) or "bsn" in categories:
        lines.append(
            "Let goed op post, telefoontjes en e-mails die u niet verwacht. Geef nooit zomaar "
            "uw gegevens of codes aan iemand."
        )
    return lines


def letter_text(
    breach: Breach, *, organisation: OrganisationSettings, alerts: AlertFacts, now: datetime
) -> LetterText:
    """The text every letter of ``breach`` shares."""
    categories = [str(c) for c in breach.affected.get("data_categories") or ()]
    data = [CATEGORY_PLAIN[c] for c in categories if c in CATEGORY_PLAIN]
    contact = [v for v in (organisation.fg_email, organisation.fg_phone) if v.strip()]
    return LetterText(
        date=day(now),
        sender=organisation.name.strip() or "De gemeente",
        period=_period(alerts),
        data=tuple(data),
        meaning=tuple(_meaning(breach, categories)),
        measures=tuple(m.text for m in breach.measures),
        ap_notified=breach.notified_at is not None,
        advice=tuple(_advice(breach, categories)),
        fg_name=organisation.fg_name.strip(),
        fg_contact=tuple(contact),
    )

"""The words of the guided assessment: why an unauthorised look-up is a breach, and the
EDPB's risk factors, in plain Dutch for the privacy officer; the web app shows them in English
too.

The AP found (January 2026) that municipalities often do not see an employee's look-up
without a work reason as a personal data breach, because the account had the technical
right. The dossier page says why it is one before it asks anything else, and names the
factors the assessment should weigh (EDPB Guidelines 9/2022, ``BREACH.md`` §2 and §4).
Kept here, not in a template, so a test can check that the page shows it.

Every text is a message id of the web app's catalog (Dutch, like the templates' ids): ``N_``
marks it, ``make messages`` extracts this module as well as the web package, and the
templates translate it with ``_()`` where it is shown. ``WARNING_CLASSES`` are CSS classes,
not words, and stay unmarked.
"""

from __future__ import annotations

from types import MappingProxyType


def N_(message: str) -> str:
    """Marks a text for extraction into the web app's catalog; translated where it is shown."""
    return message


WHY_A_BREACH: tuple[str, ...] = (
    N_(
        "Een medewerker die gegevens van een inwoner opzoekt zonder dat het werk daarom vraagt, "
        "veroorzaakt een datalek. Ook als het account de technische rechten had."
    ),
    N_(
        "Een datalek is elke inbreuk op de beveiliging die leidt tot ongeoorloofde toegang tot "
        "persoonsgegevens (artikel 4 lid 12 AVG). Toegang is 'ongeoorloofd' als er geen doel "
        "voor was binnen de taak van de medewerker: de rechten in het systeem zeggen wat "
        "iemand kán openen, niet wat iemand mág openen."
    ),
    N_(
        "De beveiliging omvat ook de organisatorische maatregelen: de regel dat medewerkers "
        "alleen gegevens raadplegen voor hun werk. Wie die regel breekt, doorbreekt de "
        "beveiliging, net als iemand van buiten die inbreekt."
    ),
    N_(
        "Of het lek gemeld moet worden, hangt af van het risico voor de betrokkenen. Dat "
        "beoordeelt u hieronder. Ook een lek dat u niet meldt, legt u vast in het register "
        "(artikel 33 lid 5 AVG)."
    ),
)
"""Step 1 of the assessment (``BREACH.md`` §2): the misconception the AP found, answered."""

EDPB_FACTORS: tuple[tuple[str, str], ...] = (
    (N_("Soort lek"), N_("Gegevens ingezien (vertrouwelijkheid), gewijzigd of onbeschikbaar?")),
    (
        N_("Aard en gevoeligheid"),
        N_("Adres, financiële gegevens, gezondheid, jeugdhulp, strafrecht?"),
    ),
    (N_("Hoeveelheid"), N_("Hoeveel gegevens en hoeveel personen?")),
    (N_("Identificeerbaarheid"), N_("Zijn de personen direct herkenbaar (naam, BSN)?")),
    (
        N_("Ernst van de gevolgen"),
        N_("Gevaar, intimidatie, fraude, schaamte, verlies van controle?"),
    ),
    (
        N_("Bijzondere kenmerken"),
        N_("Minderjarigen, geheim adres, beschermde of bekende personen?"),
    ),
    (N_("Wie had toegang"), N_("Alleen de medewerker, of doorgegeven aan anderen (criminelen)?")),
    (N_("Opzet"), N_("Nieuwsgierigheid, of om te schaden of voor geld?")),
)
"""The factors of EDPB Guidelines 9/2022 §4 as questions for a look-up (``BREACH.md`` §4)."""

BAND_MEANING: MappingProxyType[str, str] = MappingProxyType(
    {
        "low": N_("laag: de personen merken er weinig van of kunnen het makkelijk oplossen"),
        "medium": N_("gemiddeld: merkbare last, met enige moeite te overwinnen"),
        "high": N_("hoog: ernstige gevolgen, moeilijk te overwinnen; informeer de betrokkenen"),
        "very_high": N_("zeer hoog: ernstige of blijvende gevolgen; informeer de betrokkenen"),
    }
)
"""ENISA's bands in words (``BREACH.md`` §5); high and very high require informing (§7)."""

MOTIVES_NL: MappingProxyType[str, str] = MappingProxyType(
    {
        "unknown": N_("nog niet vastgesteld"),
        "accidental": N_("vergissing (verkeerd dossier, direct gesloten)"),
        "curiosity": N_("nieuwsgierigheid (privédoel zonder schade of gewin)"),
        "harm": N_("om te schaden (bijvoorbeeld een ex-partner volgen)"),
        "profit": N_("voor geld of ander voordeel (bijvoorbeeld adressen verkopen)"),
    }
)
"""The motive the investigation found, which sets ENISA's malicious-intent points."""

ORIGINS_NL: MappingProxyType[str, str] = MappingProxyType(
    {
        "dossier": N_("onderzoeksdossier met bevestigd misbruik"),
        "tip_citizen": N_("tip of klacht van een inwoner"),
        "rijksrecherche": N_("Rijksrecherche of politie"),
        "manager": N_("leidinggevende of collega"),
        "other": N_("anders"),
    }
)

MEASURE_KINDS_NL: MappingProxyType[str, str] = MappingProxyType(
    {
        "end": N_("lek beëindigen (toegang ingetrokken, account geblokkeerd)"),
        "mitigate": N_("gevolgen beperken voor de betrokkenen"),
        "prevent": N_("herhaling voorkomen (autorisaties, instructie, controle)"),
    }
)

EXCEPTIONS_NL: MappingProxyType[str, str] = MappingProxyType(
    {
        "a": N_("a: de gegevens waren onbegrijpelijk voor onbevoegden (versleuteld)"),
        "b": N_("b: latere maatregelen maken het hoge risico onwaarschijnlijk"),
        "c": N_("c: onevenredige inspanning; in plaats daarvan een openbare mededeling"),
    }
)
"""Art. 34(3) GDPR: when people need not be informed despite a high risk."""

WARNING_CLASSES: MappingProxyType[str, str] = MappingProxyType(
    {
        "none": "ok",
        "within_48h": "48",
        "within_24h": "24",
        "within_4h": "4",
        "overdue": "verlopen",
    }
)
"""CSS modifier per warning level of ``deadline.WarningLevel`` (``sw-klok--…``)."""

"""Dutch wording shared by the breach documents: the AP draft, the letters and the register.

Dates and times are shown in Europe/Amsterdam with Babel's Dutch month names, as the Art. 15
report does (``accountability/pdf.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from babel.dates import format_date, format_datetime

from schildwacht.app.breaches.deadline import AMSTERDAM

LANG = "nl"

ORIGIN_NL: Mapping[str, str] = {
    "dossier": "via een signaal uit de controle van de toegangslogbestanden (Schildwacht), "
    "waarna onderzoek het misbruik bevestigde",
    "tip_citizen": "via een tip of klacht van een inwoner",
    "rijksrecherche": "via de Rijksrecherche",
    "manager": "via een leidinggevende",
    "other": "op een andere manier (zie toelichting)",
}
"""How the breach came to light (``BreachOrigin``), for AP form 4.3."""

WATCHLIST_NL: Mapping[str, str] = {
    "public_figure": "bekende Nederlander",
    "politician": "politicus",
    "official": "bestuurder",
    "protected": "beschermd persoon",
    "other": "extra bescherming",
}

MEASURE_KIND_NL: Mapping[str, str] = {
    "end": "lek beëindigd",
    "mitigate": "gevolgen beperkt",
    "prevent": "herhaling voorkomen",
}

BAND_NL: Mapping[str, str] = {
    "low": "laag",
    "medium": "gemiddeld",
    "high": "hoog",
    "very_high": "zeer hoog",
}


def day(value: date | datetime) -> str:
    """``2 maart 2026`` (a datetime is first put in Dutch time)."""
    if isinstance(value, datetime):
        value = value.astimezone(AMSTERDAM).date()
    return format_date(value, "d MMMM yyyy", locale=LANG)


def moment(value: datetime) -> str:
    """``2 maart 2026, 10:15 uur`` in Dutch time."""
    return format_datetime(value.astimezone(AMSTERDAM), "d MMMM yyyy, HH:mm 'uur'", locale=LANG)


CATEGORY_PLAIN: Mapping[str, str] = {
    "basis": "uw naam en geboortedatum",
    "adres": "uw adres",
    "bsn": "uw burgerservicenummer (BSN)",
    "financieel": "gegevens over uw geld en inkomen",
    "belastingen": "gegevens over uw gemeentelijke belastingen",
    "uitkering": "gegevens over uw uitkering",
    "schulden": "gegevens over schulden",
    "gezondheid": "gegevens over uw gezondheid",
    "wmo": "gegevens over zorg of hulp die u krijgt (Wmo)",
    "jeugd": "gegevens over jeugdhulp",
    "strafrechtelijk": "gegevens over contact met politie of justitie",
}
"""Data categories in the words of a letter to a resident (B1)."""

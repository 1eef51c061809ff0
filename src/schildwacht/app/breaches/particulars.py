"""The AP form's answers only a person can give: the officer's *particulars*.

They are stored on the dossier (``breaches.particulars``, ``service.record_particulars``)
keyed by the semantic field id of the question they answer (``ap_form.QUESTIONS``), or by a
detail of it (``international.countries``, ``breach.authorisations``). The web form
(``templates/breaches/_particulars_form.html``) posts one HTML field per particular, named by
its key; ``parse_particulars`` checks what came in and names the question on bad input.

An empty answer is left out of the result: the draft then falls back to what the dossier or
the settings say, or lists the question as missing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from schildwacht.app.breaches import ap_form as form
from schildwacht.errors import UserError

TEXT_MAX = 200
LONG_TEXT_MAX = 4000
KINDS = ("text", "long_text", "choice", "multi", "date", "number", "email", "phone")


@dataclass(frozen=True)
class Particular:
    """One answer the officer gives. ``kind`` decides the input and the check."""

    key: str
    number: str
    label: str
    kind: str  # one of KINDS
    options: form.Options = ()
    help: str = ""

    @property
    def html_id(self) -> str:
        return "ap-" + self.key.replace(".", "-").replace("_", "-")


PARTICULARS: tuple[Particular, ...] = (
    Particular("notification.legal_regime", "1.2", "Wettelijke grondslag van de melding",
               "choice", form.LEGAL_REGIMES,
               "Meestal de AVG; de Wpg alleen voor politiegegevens (bijvoorbeeld van boa's)."),
    Particular("notification.other_supervisors", "1.3",
               "Ook gemeld bij toezichthouders op andere meldplichten", "multi", form.SUPERVISORS,
               "Niets aangevinkt: nee."),
    Particular("international.several_countries", "2.1.1",
               "Gevolgen voor personen in meerdere landen?", "choice", form.YES_NO),
    Particular("international.countries", "2.1.1", "Zo ja: welke landen?", "text"),
    Particular("international.other_dpas", "2.2.1",
               "Gemeld bij privacytoezichthouders in andere landen (welke?)", "text",
               help="Leeg: nee."),
    Particular("reporter.function", "3.2.1b", "Functie van de melder", "text"),
    Particular("reporter.email", "3.2.1c", "E-mailadres van de melder", "email"),
    Particular("reporter.phone", "3.2.1d", "Telefoonnummer van de melder", "phone"),
    Particular("controller.other_organisations", "3.3",
               "Andere organisaties betrokken bij de inbreuk", "long_text",
               help="Bijvoorbeeld een verwerker of de politie. Leeg: nee."),
    Particular("timeline.start", "4.1.1", "Startdatum volgens het onderzoek", "date",
               help="Alleen als het onderzoek een ander begin vond dan de meldingen."),
    Particular("timeline.end", "4.1.2", "Einddatum volgens het onderzoek", "date"),
    Particular("timeline.ongoing", "—", "Duurt de inbreuk nog voort?", "choice", form.YES_NO,
               "Leeg: afgeleid uit de maatregelen (toegang ingetrokken)."),
    Particular("timeline.how_discovered", "4.3", "Toelichting op hoe de inbreuk is ontdekt",
               "long_text", help="Noem de medewerker niet."),
    Particular("timeline.delay_reason", "4.5", "Reden als later dan 72 uur wordt gemeld",
               "long_text"),
    Particular("breach.authorisations", "5.2",
               "Waren de rechten van de medewerker ruimer dan de taak vroeg?", "choice",
               form.YES_NO, "Ja voegt 'Autorisatie(s) van medewerker(s) verkeerd ingesteld' toe."),
    Particular("breach.description", "5.3", "Eigen beschrijving van het incident", "long_text",
               help="Leeg: de beschrijving uit het dossier. Noem de medewerker niet."),
    Particular("breach.documents", "5.4", "Ondersteunende documentatie (welke stukken)",
               "long_text"),
    Particular("data.kinds", "6.1", "Welke persoonsgegevens (aanvullend op het bewijs)",
               "multi", form.DATA_KINDS),
    Particular("data.special_categories", "6.2",
               "Bijzondere persoonsgegevens (aanvullend op het bewijs)", "multi",
               form.SPECIAL_CATEGORIES),
    Particular("people.description", "7.2", "Eigen omschrijving van de betrokkenen",
               "long_text", help="Leeg: de omschrijving uit het bewijs."),
    Particular("consequences.data", "9.1",
               "Gevolgen voor de gegevens (aanvullend op het dossier)", "multi",
               form.CONSEQUENCES_DATA),
    Particular("consequences.people", "9.2", "Mogelijke gevolgen voor de betrokkenen",
               "multi", form.CONSEQUENCES_PEOPLE),
    Particular("follow_up.informed", "10.1.1", "Zijn de betrokkenen al ingelicht?", "choice",
               form.INFORMED[:2], "Alleen als besloten is hen in te lichten."),
    Particular("follow_up.informed_count", "10.1.3", "Aantal ingelichte personen", "number"),
    Particular("follow_up.informed_how", "10.1.7", "Hoe zijn zij ingelicht?", "multi",
               form.CHANNELS, "Niets aangevinkt: per brief."),
)  # fmt: skip

PARTICULAR: Mapping[str, Particular] = {p.key: p for p in PARTICULARS}

_PHONE = re.compile(r"^\+?[0-9 ()\-]{6,20}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _values(form_data: Mapping[str, Any], key: str) -> list[str]:
    """The submitted values of ``key``: an HTML form gives a str, or a list for checkboxes;
    Starlette's ``FormData`` gives them through ``getlist``."""
    getlist = getattr(form_data, "getlist", None)
    raw = getlist(key) if callable(getlist) else form_data.get(key)
    if raw is None:
        return []
    items = [raw] if isinstance(raw, str) else list(raw)
    if not all(isinstance(v, str) for v in items):
        raise UserError(f"{key}: verwacht tekst")
    return [v.strip() for v in items if v.strip()]


def _fail(p: Particular, problem: str) -> UserError:
    return UserError(f"vraag {p.number} '{p.label}' ({p.key}): {problem}")


def _one(p: Particular, values: list[str]) -> Any:
    """The checked value of one particular; ``values`` is not empty."""
    if p.kind == "multi":
        codes = dict(p.options)
        unknown = [v for v in values if v not in codes]
        if unknown:
            raise _fail(p, f"onbekende keuze {unknown[0]!r}")
        return [c for c in codes if c in values]  # the form's order, each once
    if len(values) > 1:
        raise _fail(p, "één antwoord verwacht")
    value = values[0]
    if p.kind == "choice":
        if value not in dict(p.options):
            allowed = ", ".join(dict(p.options))
            raise _fail(p, f"onbekende keuze {value!r}; kies uit {allowed}")
        return value
    if p.kind == "date":
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            raise _fail(p, f"{value!r} is geen datum (jjjj-mm-dd)") from None
    if p.kind == "number":
        if not value.isdigit() or len(value) > 9:
            raise _fail(p, f"{value!r} is geen geheel getal van 0 of meer")
        return int(value)
    if p.kind == "email" and not _EMAIL.match(value):
        raise _fail(p, f"{value!r} is geen e-mailadres")
    if p.kind == "phone" and not _PHONE.match(value):
        raise _fail(p, f"{value!r} is geen telefoonnummer (cijfers, spaties, +, - en haakjes)")
    limit = LONG_TEXT_MAX if p.kind == "long_text" else TEXT_MAX
    if len(value) > limit:
        raise _fail(p, f"te lang ({len(value)} tekens, hoogstens {limit})")
    return value


def parse_particulars(form_data: Mapping[str, Any]) -> dict[str, Any]:
    """The officer's particulars from a submitted form, checked; keys the form does not
    know (the CSRF token, buttons) are ignored. Raises ``UserError`` naming the question."""
    found: dict[str, Any] = {}
    for p in PARTICULARS:
        values = _values(form_data, p.key)
        if values:
            found[p.key] = _one(p, values)
    if found.get("international.several_countries") == "yes" and not found.get(
        "international.countries"
    ):
        raise _fail(PARTICULAR["international.countries"], "noem de landen")
    start, end = found.get("timeline.start"), found.get("timeline.end")
    if start and end and start > end:
        raise _fail(PARTICULAR["timeline.end"], "de einddatum ligt vóór de startdatum")
    return found

"""The answers of the AP notification draft, chapter by chapter (``notification.py``).

Each function answers the questions of one or two chapters of ``ap_form.QUESTIONS`` from the
dossier, the evidence summary, the ``[organisation]`` settings, the reporter and the
officer's particulars, and says where each answer came from (``notification.SOURCES_NL``).
An answer left empty is listed as missing when its question is required; a ``note`` tells
the officer what to check or fill in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from schildwacht.app.breaches import ap_form as form
from schildwacht.app.breaches.affected import GAP_SENSITIVE, GAP_SEVERAL
from schildwacht.app.breaches.deadline import needs_delay_reason, notification_deadline
from schildwacht.app.breaches.models import Breach, DecisionKind, NoticePhase
from schildwacht.app.breaches.severity import AP_SEVERITY, Band
from schildwacht.app.breaches.wording import (
    MEASURE_KIND_NL,
    ORIGIN_NL,
    WATCHLIST_NL,
    day,
    moment,
)
from schildwacht.config import OrganisationSettings

LOOKUP_KIND = (
    "Overig, namelijk: onrechtmatige raadpleging van persoonsgegevens door een eigen medewerker"
)
"""AP form 5.2 for an employee's look-up without a work reason (``BREACH.md`` §9 [project])."""

CATEGORY_KINDS: Mapping[str, tuple[str, ...]] = {
    "basis": ("name", "birth_date"),
    "adres": ("address",),
    "bsn": ("bsn",),
    "financieel": ("financial",),
    "belastingen": ("other_financial",),
    "uitkering": ("benefits",),
    "schulden": ("debts",),
    "strafrechtelijk": ("criminal",),
    "gezondheid": (),
    "wmo": (),
    "jeugd": (),
}
"""Contract data category -> AP form 6.1 options; health data go to 6.2 instead."""

CATEGORY_OTHER: Mapping[str, str] = {"jeugd": "Anders, namelijk: gegevens over jeugdhulp"}
CATEGORY_SPECIAL: Mapping[str, str] = {"gezondheid": "health", "wmo": "health"}
"""6.2: health data are special (Art. 9); a Wmo provision is care, so health [project]."""

NOT_APPLICABLE = "Niet van toepassing"


@dataclass(frozen=True)
class AlertFacts:
    """What the draft and the letters need from the breach's alerts. ``subject_bsns`` is
    only for the letters: the draft itself never holds a BSN."""

    first_seen: datetime | None = None
    last_seen: datetime | None = None
    scenarios: tuple[str, ...] = ()
    summaries: tuple[str, ...] = ()
    subject_bsns: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answer:
    value: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    note: str = ""


def _a(value: str | Sequence[str] | None, *sources: str, note: str = "") -> Answer:
    values = (value,) if isinstance(value, str) else tuple(value or ())
    values = tuple(v.strip() for v in values if v and v.strip())
    return Answer(values, sources if values else (), note)


def _labels(options: form.Options, codes: Sequence[str]) -> list[str]:
    return [form.label(options, c) for c in codes]


@dataclass(frozen=True)
class Context:
    breach: Breach
    org: OrganisationSettings
    reporter: str
    phase: NoticePhase
    now: datetime
    alerts: AlertFacts

    @property
    def p(self) -> Mapping[str, Any]:
        return self.breach.particulars

    def officer(self, key: str) -> Any:
        return self.p.get(key) or None


def _yes_no(ctx: Context, key: str, detail: str | None = None) -> Answer:
    """A yes/no question whose usual answer for a look-up is no."""
    if ctx.officer(key) == "yes":
        return _a(["Ja", *([detail] if detail else [])], "officer")
    if ctx.officer(key) == "no":
        return _a("Nee", "officer")
    return _a("Nee", "default")


def _introduction(ctx: Context) -> dict[str, Answer]:
    kind = "follow_up" if ctx.phase == NoticePhase.addition else "regular"
    regime = ctx.officer("notification.legal_regime")
    supervisors = ctx.officer("notification.other_supervisors")
    countries = ctx.officer("international.countries")
    dpas = ctx.officer("international.other_dpas")
    return {
        "notification.type": _a(form.label(form.NOTIFICATION_TYPES, kind), "dossier"),
        "notification.legal_regime": (
            _a(form.label(form.LEGAL_REGIMES, regime), "officer") if regime
            else _a(form.label(form.LEGAL_REGIMES, "avg"), "default")
        ),
        "notification.other_supervisors": (
            _a(_labels(form.SUPERVISORS, supervisors), "officer") if supervisors
            else _a("Nee", "default")
        ),
        "international.several_countries": _yes_no(
            ctx, "international.several_countries", f"Landen: {countries}" if countries else None
        ),
        "international.other_dpas": (
            _a(f"Ja: {dpas}", "officer") if dpas else _a("Nee", "default")
        ),
    }  # fmt: skip


def _controller(ctx: Context) -> dict[str, Answer]:
    org = ctx.org
    contact = ", ".join(
        v for v in (org.contact_name, org.contact_function, org.contact_email, org.contact_phone)
        if v.strip()
    )  # fmt: skip
    others = ctx.officer("controller.other_organisations")
    return {
        "controller.organisation": _a(org.name, "settings"),
        "controller.controllers": _a(org.controller, "settings"),
        "controller.address": _a(org.address, "settings"),
        "controller.fg_registration_number": _a(org.fg_registration_number, "settings"),
        "controller.kvk_number": _a(org.kvk_number, "settings"),
        "controller.sector": _a(org.sector, "settings"),
        "reporter.name": _a(ctx.reporter, "reporter"),
        "reporter.function": _a(ctx.officer("reporter.function"), "officer"),
        "reporter.email": _a(ctx.officer("reporter.email"), "officer"),
        "reporter.phone": _a(ctx.officer("reporter.phone"), "officer"),
        "contact.other": _a(contact, "settings"),
        "controller.other_organisations": (
            _a(others, "officer") if others else _a("Nee", "default")
        ),
    }  # fmt: skip


def _timeline(ctx: Context) -> dict[str, Answer]:
    b, alerts = ctx.breach, ctx.alerts
    start, end = ctx.officer("timeline.start"), ctx.officer("timeline.end")
    ends = [m for m in b.measures if m.kind == "end"]
    ongoing = ctx.officer("timeline.ongoing")
    if ongoing:
        still = _a(form.label(form.YES_NO, ongoing), "officer")
    elif ends:
        still = _a(f"Nee: {ends[0].text} ({day(ends[0].taken_on)})", "dossier")
    else:
        still = Answer()
    how = [ORIGIN_NL.get(b.origin, b.origin) + "."]
    if extra := ctx.officer("timeline.how_discovered"):
        how.append(extra)
    return {
        "timeline.start": (
            _a(day(datetime.fromisoformat(start).date()), "officer") if start
            else _a(moment(alerts.first_seen) if alerts.first_seen else None, "evidence",
                    note="eerste raadpleging in de meldingen; het onderzoek kan eerder vinden")
        ),
        "timeline.end": (
            _a(day(datetime.fromisoformat(end).date()), "officer") if end
            else _a(moment(alerts.last_seen) if alerts.last_seen else None, "evidence",
                    note="laatste raadpleging in de meldingen")
        ),
        "timeline.ongoing": still,
        "timeline.discovered_at": _a(
            moment(b.aware_at), "dossier",
            note="het moment van kennisname: de 72 uur lopen vanaf hier",
        ),
        "timeline.how_discovered": _a(
            " ".join(how), *(("dossier", "officer") if len(how) > 1 else ("dossier",))
        ),
        "timeline.delay_reason": _delay(ctx),
    }  # fmt: skip


def _delay(ctx: Context) -> Answer:
    b = ctx.breach
    if b.delay_reason:
        return _a(b.delay_reason, "dossier")
    if reason := ctx.officer("timeline.delay_reason"):
        return _a(reason, "officer")
    deadline = notification_deadline(b.aware_at)
    if needs_delay_reason(b.aware_at, b.notified_at or ctx.now):
        return Answer(note=f"de termijn van 72 uur liep af op {moment(deadline)}: geef de reden")
    return _a(f"{NOT_APPLICABLE}: de termijn loopt tot {moment(deadline)}", "dossier")


def _breach(ctx: Context) -> dict[str, Answer]:
    severity = ctx.breach.severity or {}
    nature = ["viewed"]
    if severity.get("integrity", "none") != "none":
        nature.append("altered")
    availability = severity.get("availability", "none")
    if availability != "none":
        nature.append("lost" if availability == "permanent" else "unavailable")
    kinds = [LOOKUP_KIND]
    if ctx.officer("breach.authorisations") == "yes":
        kinds.append(form.label(form.INCIDENT_KINDS, "authorisations"))
    description = ctx.officer("breach.description")
    documents = ctx.officer("breach.documents")
    return {
        "breach.nature": _a(_labels(form.NATURE, nature), "dossier"),
        "breach.kind": _a(kinds, *(("dossier", "officer") if len(kinds) > 1 else ("dossier",))),
        "breach.description": (
            _a(description, "officer") if description
            else _a(_description(ctx), "dossier", "evidence",
                    note="opgesteld uit het dossier: controleer en vul aan")
        ),
        "breach.documents": _a(documents, "officer"),
    }  # fmt: skip


def _description(ctx: Context) -> str:
    b, affected = ctx.breach, ctx.breach.affected
    text = [
        "Een medewerker van de gemeente heeft persoonsgegevens geraadpleegd zonder dat het "
        "werk daar een reden voor gaf. Het account had de technische rechten, maar het gebruik "
        "viel buiten de taak: een onbevoegde toegang (artikel 4, onder 12, AVG)."
    ]
    people, records = int(affected.get("people") or 0), int(affected.get("records") or 0)
    if people:
        text.append(f"Het gaat om {people} betrokkene(n) en {records} raadpleging(en).")
    if ctx.alerts.first_seen and ctx.alerts.last_seen:
        text.append(
            f"De raadplegingen vonden plaats tussen {moment(ctx.alerts.first_seen)} en "
            f"{moment(ctx.alerts.last_seen)}."
        )
    if ctx.alerts.summaries:
        text.append("Bevindingen uit de controle van de logbestanden: "
                    + " ".join(ctx.alerts.summaries))  # fmt: skip
    text.append(f"Ontdekt: {ORIGIN_NL.get(b.origin, b.origin)}.")
    return " ".join(text)


def _data(ctx: Context) -> dict[str, Answer]:
    affected = ctx.breach.affected
    categories = [str(c).strip().lower() for c in affected.get("data_categories") or ()]
    kinds: list[str] = []
    special: list[str] = []
    others: list[str] = []
    for code in categories:
        if code not in CATEGORY_KINDS:
            others.append(f"Anders, namelijk: {code}")
            continue
        kinds += [k for k in CATEGORY_KINDS[code] if k not in kinds]
        if code in CATEGORY_OTHER:
            others.append(CATEGORY_OTHER[code])
        if code in CATEGORY_SPECIAL and CATEGORY_SPECIAL[code] not in special:
            special.append(CATEGORY_SPECIAL[code])
    added_kinds = [k for k in ctx.officer("data.kinds") or () if k not in kinds]
    added_special = [k for k in ctx.officer("data.special_categories") or () if k not in special]
    kind_values = _labels(form.DATA_KINDS, kinds + added_kinds) + list(dict.fromkeys(others))
    kind_sources = ("evidence",) * bool(kinds or others) + ("officer",) * bool(added_kinds)
    special_all = special + added_special
    special_sources = ("evidence",) * bool(special) + ("officer",) * bool(added_special)
    if special_all:
        special_answer = _a(_labels(form.SPECIAL_CATEGORIES, special_all), *special_sources)
    elif GAP_SENSITIVE in (affected.get("gaps") or ()):
        special_answer = Answer(note=GAP_SENSITIVE)
    else:
        special_answer = _a("Geen bijzondere persoonsgegevens bekend", "evidence")
    records = int(affected.get("records") or 0)
    return {
        "data.kinds": _a(kind_values, *kind_sources,
                         note="" if kind_values else "kruis aan welke gegevens zijn ingezien"),
        "data.special_categories": special_answer,
        "data.records": (
            _a(str(records), "evidence", note="raadplegingen in de meldingen") if records
            else Answer(note="onbekend: vul 1 in en licht dat toe")
        ),
    }  # fmt: skip


def _people(ctx: Context) -> dict[str, Answer]:
    affected = ctx.breach.affected
    people = int(affected.get("people") or 0)
    minors = int(affected.get("minors") or 0)
    confidential = int(affected.get("confidential_addresses") or 0)
    watch = [str(w) for w in affected.get("watchlist_categories") or ()]
    groups = ["other"] if people else []
    if "coworker" in ctx.alerts.scenarios:
        groups.insert(0, "employees")
    if minors:
        groups.append("minors")
    if confidential or "protected" in watch:
        groups.append("vulnerable")
    group_values = [
        "Anders, namelijk: inwoners van de gemeente" if g == "other"
        else form.label(form.GROUPS, g) for g in groups
    ]  # fmt: skip
    parts = [f"{people} inwoner(s) van wie gegevens zijn geraadpleegd"] if people else []
    if minors:
        parts.append(f"van wie {minors} minderjarig")
    if confidential:
        parts.append(f"{confidential} met geheimhouding van persoonsgegevens in de BRP")
    if watch:
        parts.append("bijzondere aandacht: " + ", ".join(WATCHLIST_NL.get(w, w) for w in watch))
    description = ctx.officer("people.description")
    several = GAP_SEVERAL in (affected.get("gaps") or ())
    return {
        "people.groups": _a(group_values, "evidence"),
        "people.description": (
            _a(description, "officer") if description
            else _a("; ".join(parts) + "." if parts else None, "evidence")
        ),
        "people.count": _a(
            str(people) if people else None, "evidence",
            note="een bovengrens: een melding ging over meer personen" if several else "exact",
        ),
    }  # fmt: skip


def _consequences(ctx: Context) -> dict[str, Answer]:
    b, severity = ctx.breach, ctx.breach.severity or {}
    data = ["seen"]
    if severity.get("malicious") or severity.get("confidentiality") == "unknown":
        data.append("misused")
    added = [c for c in ctx.officer("consequences.data") or () if c not in data]
    people = ctx.officer("consequences.people")
    if b.band is None:
        level = Answer(note="beoordeel eerst de ernst (ENISA)")
    else:
        score = str(severity.get("score", "")).replace(".", ",")
        band_nl = severity.get("band_nl", b.band)
        level = _a(
            f"{AP_SEVERITY[Band(b.band)].capitalize()} (ENISA-score {score}: {band_nl})",
            "dossier",
            note=b.severity_reason or "",
        )
    return {
        "consequences.data": _a(
            _labels(form.CONSEQUENCES_DATA, data + added),
            *(("dossier", "officer") if added else ("dossier",)),
        ),
        "consequences.people": _a(
            _labels(form.CONSEQUENCES_PEOPLE, people or ()), "officer",
            note="" if people else "alleen een mens kan dit inschatten: kies de gevolgen",
        ),
        "consequences.severity": level,
        "prior.unintelligible": _a(
            form.label(form.UNINTELLIGIBLE, "no"), "default",
            note="de medewerker zag de gegevens leesbaar in het systeem",
        ),
    }  # fmt: skip


def _follow_up(ctx: Context) -> dict[str, Answer]:
    b = ctx.breach
    measures = [
        f"{day(m.taken_on)}, {MEASURE_KIND_NL.get(m.kind, m.kind)}: {m.text}" for m in b.measures
    ]
    answers = {"follow_up.measures": _a(measures, "dossier")}
    postpone = b.in_force(DecisionKind.postpone_art41)
    inform = b.in_force(DecisionKind.inform_subjects)
    if postpone is not None and postpone.value:
        review = day(postpone.review_on) if postpone.review_on else "onbekend"
        informed = _a(f"Nee, nog niet: uitgesteld op grond van artikel 41 UAVG "
                      f"(herbeoordeling op {review})", "dossier")  # fmt: skip
        return answers | _not_informed(informed)
    if inform is None:
        return answers | {
            "follow_up.informed": Answer(note="besluit eerst of de betrokkenen worden ingelicht")
        }
    if not inform.value:
        exception = f" (uitzondering artikel 34, lid 3, onder {inform.exception}, AVG)"
        informed = _a(f"Nee: {inform.reason}{exception if inform.exception else ''}", "dossier")
        return answers | _not_informed(informed)
    status = ctx.officer("follow_up.informed") or "planned"
    count = ctx.officer("follow_up.informed_count")
    channels = ctx.officer("follow_up.informed_how")
    people = int(b.affected.get("people") or 0)
    return answers | {
        "follow_up.informed": _a(
            form.label(form.INFORMED, status),
            *(("dossier", "officer") if ctx.officer("follow_up.informed") else ("dossier",)),
        ),
        "follow_up.informed_count": (
            _a(str(count), "officer") if count is not None
            else _a(str(people) if people and status == "planned" else None, "evidence",
                    note="gepland: de levende betrokkenen met een brief")
        ),
        "follow_up.informed_how": (
            _a(_labels(form.CHANNELS, channels), "officer") if channels
            else _a(form.label(form.CHANNELS, "letter"), "default")
        ),
    }  # fmt: skip


def _not_informed(informed: Answer) -> dict[str, Answer]:
    return {
        "follow_up.informed": informed,
        "follow_up.informed_count": _a("0", "dossier"),
        "follow_up.informed_how": _a(NOT_APPLICABLE, "dossier"),
    }


def answers(ctx: Context) -> dict[str, Answer]:
    """Every answer of the draft by semantic field id; a question not here is unanswered."""
    return {**_introduction(ctx), **_controller(ctx), **_timeline(ctx), **_breach(ctx),
            **_data(ctx), **_people(ctx), **_consequences(ctx), **_follow_up(ctx)}  # fmt: skip

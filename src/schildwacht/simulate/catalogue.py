"""Vocabularies of the synthetic municipality: systems, teams, work types and names.

Everything here is data, not code, so that the shape of the town (which teams exist, what
their work looks like in the logs, which processing activity they record) can be read and
tuned in one place. Legitimate work *and* injected misuse are both rendered from these work
types, so a misuse event looks exactly like the perpetrator's normal work except for the
missing work reason: that is what makes the data a fair test for detection.
"""

from __future__ import annotations

from dataclasses import dataclass

SYSTEMS: tuple[str, ...] = ("brp", "zaaksysteem", "belastingen", "sociaal-domein", "vergunningen")
"""Source systems; index = system code."""

SEARCH_KEYS: tuple[str, ...] = ("bsn", "name_dob", "name", "postcode_nr", "postcode", "browse")
"""How a search was keyed; ``browse`` (first name plus part of a surname) is curiosity-style."""

CASE_ID_SHARE: dict[str, float] = {
    "brp": 0.05,
    "zaaksysteem": 0.95,
    "belastingen": 0.6,
    "sociaal-domein": 0.9,
    "vergunningen": 0.9,
}
"""How often each application records the zaak (case) an action belonged to."""

ACTIVITY_SHARE: dict[str, float] = {
    "brp": 0.85,
    "zaaksysteem": 0.7,
    "belastingen": 1.0,
    "sociaal-domein": 0.95,
    "vergunningen": 0.9,
}
"""How often each application records the verwerkingsactiviteit (processing activity)."""

NAIVE_TIME_SHARE: dict[str, float] = {
    "brp": 0.02,
    "zaaksysteem": 0.0,
    "belastingen": 0.55,
    "sociaal-domein": 0.05,
    "vergunningen": 0.1,
}
"""Share of timestamps each system logs as Amsterdam local time without an offset."""

UTC_TIME_SHARE: dict[str, float] = {
    "brp": 0.0,
    "zaaksysteem": 0.9,
    "belastingen": 0.0,
    "sociaal-domein": 0.1,
    "vergunningen": 0.0,
}
"""Share of timestamps each system logs in UTC (``Z``); the rest carry +01:00/+02:00."""

BRP_CATEGORIES: tuple[tuple[str, float], ...] = (
    ("basis|bsn", 0.45),
    ("basis|adres|bsn", 0.3),
    ("adres", 0.15),
    ("basis", 0.1),
)
"""Data categories of a BRP (population register) action, whatever the work type."""


@dataclass(frozen=True)
class WorkType:
    """A kind of work (a zaaktype or a desk service) and how it shows in the logs.

    ``subjects`` names the population a case of this type is about (see
    ``casework.SUBJECT_POOLS``); ``duration`` is the case life in days (log-uniform between
    the bounds); ``per_week`` is how often a handler opens the case in a working week.
    """

    name: str
    team: str
    activity: str
    system: str
    categories: tuple[tuple[str, float], ...]
    brp_share: float = 0.35
    actions: tuple[tuple[str, float], ...] = (("view", 0.8), ("update", 0.15), ("print", 0.05))
    search: float = 0.5
    search_keys: tuple[float, ...] = (0.8, 0.1, 0.05, 0.05, 0.0, 0.0)
    events: float = 5.5
    subjects: str = "adult"
    duration: tuple[int, int] = (0, 0)
    per_week: float = 0.0
    assignment: tuple[float, float, float] = (0.3, 0.1, 0.6)  # team only, person only, both
    weight: float = 1.0


_Z = "zaaksysteem"
_FIN = (("basis|financieel", 0.6), ("financieel", 0.3), ("basis|adres", 0.1))
_ZS = (("basis", 0.5), ("basis|adres", 0.4), ("basis|adres|bsn", 0.1))
_DESK = (("view", 0.7), ("print", 0.15), ("update", 0.1), ("create", 0.05))

# fmt: off
WORK_TYPES: tuple[WorkType, ...] = (
    # Burgerzaken: desk services (appointments and walk-ins) and the BRP back office.
    WorkType("paspoort", "Publiekszaken Balie", "va-reisdocumenten", _Z, _ZS, 0.85, _DESK,
             0.95, (0.8, 0.17, 0.0, 0.03, 0.0, 0.0), 4.5, "anyone", weight=0.3),
    WorkType("identiteitskaart", "Publiekszaken Balie", "va-reisdocumenten", _Z, _ZS, 0.85,
             _DESK, 0.95, (0.8, 0.17, 0.0, 0.03, 0.0, 0.0), 4.5, "anyone", weight=0.25),
    WorkType("rijbewijs", "Publiekszaken Balie", "va-rijbewijzen", _Z, _ZS, 0.85, _DESK, 0.95,
             (0.85, 0.12, 0.0, 0.03, 0.0, 0.0), 4.0, "adult", weight=0.25),
    WorkType("uittreksel BRP", "Publiekszaken Balie", "va-brp-verstrekking", _Z, _ZS, 0.85,
             (("view", 0.5), ("print", 0.5)), 0.95, (0.85, 0.15, 0, 0, 0, 0), 3.0, "adult",
             weight=0.08),
    WorkType("aangifte verhuizing", "Publiekszaken Balie", "va-brp-bijhouding", _Z, _ZS, 0.85,
             (("view", 0.5), ("update", 0.5)), 0.95, (0.7, 0.1, 0, 0.2, 0, 0), 5.0, "adult",
             weight=0.07),
    WorkType("aangifte overlijden", "Publiekszaken Balie", "va-burgerlijke-stand", _Z, _ZS,
             0.85, (("view", 0.6), ("update", 0.3), ("create", 0.1)), 0.95,
             (0.6, 0.4, 0, 0, 0, 0), 4.0, "deceased", weight=0.03),
    WorkType("Verhuizing", "Backoffice BRP", "va-brp-bijhouding", _Z, _ZS, 0.7,
             (("view", 0.6), ("update", 0.4)), 0.6, (0.7, 0.0, 0.0, 0.3, 0, 0), 4.0, "household",
             (1, 10), 3.0, (0.8, 0.05, 0.15), 0.45),
    WorkType("Geboorte", "Backoffice BRP", "va-burgerlijke-stand", _Z, _ZS, 0.7,
             (("view", 0.5), ("create", 0.3), ("update", 0.2)), 0.5, (1, 0, 0, 0, 0, 0), 3.0,
             "newborn", (1, 5), 3.0, (0.8, 0.05, 0.15), 0.12),
    WorkType("Overlijden", "Backoffice BRP", "va-burgerlijke-stand", _Z, _ZS, 0.7,
             (("view", 0.6), ("update", 0.4)), 0.5, (0.9, 0.1, 0, 0, 0, 0), 3.5, "deceased",
             (2, 14), 2.0, (0.8, 0.05, 0.15), 0.12),
    WorkType("Correctie persoonslijst", "Backoffice BRP", "va-brp-bijhouding", _Z, _ZS, 0.7,
             (("view", 0.6), ("update", 0.4)), 0.7, (0.8, 0.2, 0, 0, 0, 0), 3.5, "adult",
             (2, 20), 2.0, (0.6, 0.1, 0.3), 0.25),
    WorkType("Verzoek geheimhouding", "Backoffice BRP", "va-brp-bijhouding", _Z, _ZS, 0.7,
             (("view", 0.6), ("update", 0.4)), 0.5, (1, 0, 0, 0, 0, 0), 3.0, "confidential",
             (2, 15), 2.0, (0.4, 0.1, 0.5), 0.06),
    WorkType("Adresonderzoek", "Adreskwaliteit", "va-adresonderzoek", "zaaksysteem", _ZS, 0.6,
             (("view", 0.83), ("update", 0.15), ("export", 0.02)), 0.7,
             (0.2, 0.0, 0.1, 0.5, 0.2, 0.0), 5.0, "address", (14, 90), 1.2, (0.3, 0.1, 0.6)),
    # Sociaal Domein: long-running cases, often sitting with a team.
    WorkType("Participatiewet", "Werk en Inkomen", "va-participatiewet", "sociaal-domein",
             _FIN, 0.3, (("view", 0.75), ("update", 0.2), ("create", 0.05)), 0.3,
             subjects="household_adult", duration=(60, 720), per_week=0.8, weight=0.6),
    WorkType("Bijzondere bijstand", "Werk en Inkomen", "va-participatiewet", "sociaal-domein",
             _FIN, 0.3, (("view", 0.75), ("update", 0.2), ("create", 0.05)), 0.3,
             subjects="household_adult", duration=(14, 90), per_week=1.0, weight=0.25),
    WorkType("Re-integratie", "Werk en Inkomen", "va-participatiewet", "sociaal-domein",
             (("basis", 0.6), ("basis|gezondheid", 0.2), ("basis|financieel", 0.2)), 0.2,
             subjects="working_age", duration=(90, 365), per_week=0.5, weight=0.15),
    WorkType("Schuldhulpverlening", "Schuldhulpverlening", "va-schuldhulpverlening",
             "sociaal-domein", _FIN, 0.25, subjects="household_adult", duration=(90, 720),
             per_week=0.7),
    WorkType("Wmo-maatwerkvoorziening", "Wmo", "va-wmo", "sociaal-domein",
             (("basis|gezondheid", 0.6), ("gezondheid", 0.25), ("basis|adres", 0.15)), 0.3,
             subjects="elderly", duration=(30, 365), per_week=0.5, weight=0.6),
    WorkType("Hulp bij het huishouden", "Wmo", "va-wmo", "sociaal-domein",
             (("basis|gezondheid", 0.5), ("basis|financieel", 0.3), ("basis", 0.2)), 0.25,
             subjects="elderly", duration=(60, 720), per_week=0.3, weight=0.4),
    WorkType("Jeugdhulp", "Jeugd", "va-jeugdwet", "sociaal-domein",
             (("basis|jeugd", 0.5), ("jeugd|gezondheid", 0.35), ("basis|adres", 0.15)), 0.25,
             subjects="child_family", duration=(60, 540), per_week=0.8),
    WorkType("Onderzoek rechtmatigheid", "Fraude en Terugvordering", "va-handhaving-sociaal",
             "sociaal-domein", (("basis|financieel", 0.6), ("financieel|strafrechtelijk", 0.25),
                                ("basis|adres", 0.15)), 0.45, search=0.5,
             actions=(("view", 0.8), ("update", 0.14), ("print", 0.04), ("export", 0.02)),
             search_keys=(0.5, 0.1, 0.05, 0.3, 0.05, 0.0), events=5.0,
             subjects="household_adult", duration=(30, 180), per_week=1.2),
    # Belastingen: cases that surge after the yearly assessment run.
    WorkType("Bezwaar aanslag", "Heffing", "va-belastingheffing", "belastingen", _FIN, 0.2,
             subjects="adult", duration=(14, 120), per_week=0.6, weight=0.5),
    WorkType("Kwijtschelding", "Heffing", "va-kwijtschelding", "belastingen", _FIN, 0.25,
             subjects="household_adult", duration=(14, 60), per_week=1.0, weight=0.5),
    WorkType("Invordering", "Invordering", "va-invordering", "belastingen", _FIN, 0.2,
             subjects="adult", duration=(30, 240), per_week=0.5, weight=0.7),
    WorkType("Betalingsregeling", "Invordering", "va-invordering", "belastingen", _FIN, 0.1,
             subjects="adult", duration=(30, 365), per_week=0.3, weight=0.3),
    WorkType("Bezwaar WOZ", "WOZ", "va-woz", "belastingen",
             (("basis|adres", 0.6), ("adres", 0.3), ("financieel", 0.1)), 0.2,
             subjects="adult", duration=(14, 120), per_week=0.6),
    # Vergunningen and Handhaving: address-based work.
    WorkType("Omgevingsvergunning", "Vergunningverlening", "va-omgevingsvergunning",
             "vergunningen", (("basis|adres", 0.7), ("basis", 0.3)), 0.2, subjects="adult",
             duration=(30, 180), per_week=0.5, weight=0.6),
    WorkType("Evenementenvergunning", "Vergunningverlening", "va-apv-vergunning",
             "vergunningen", (("basis|adres", 0.7), ("basis", 0.3)), 0.2, subjects="adult",
             duration=(14, 90), per_week=0.6, weight=0.4),
    WorkType("Parkeervergunning", "Parkeren", "va-parkeervergunning", "vergunningen",
             (("basis|adres", 0.8), ("adres", 0.2)), 0.3, subjects="adult", duration=(1, 10),
             per_week=2.0, assignment=(0.7, 0.1, 0.2), weight=0.7),
    WorkType("Gehandicaptenparkeerkaart", "Parkeren", "va-parkeervergunning", "vergunningen",
             (("basis|gezondheid", 0.6), ("basis|adres", 0.4)), 0.3, subjects="elderly",
             duration=(14, 60), per_week=1.0, weight=0.3),
    WorkType("Handhavingsverzoek", "Toezicht en Handhaving", "va-handhaving", "zaaksysteem",
             (("basis|adres", 0.7), ("basis|strafrechtelijk", 0.1), ("adres", 0.2)), 0.5,
             search=0.6, search_keys=(0.3, 0.1, 0.1, 0.45, 0.05, 0.0), subjects="address",
             duration=(14, 120), per_week=0.7),
    WorkType("Leerplichtzaak", "Leerplicht", "va-leerplicht", "zaaksysteem",
             (("basis|jeugd", 0.7), ("basis|adres", 0.3)), 0.4, subjects="pupil_family",
             duration=(30, 270), per_week=0.6),
    # Klantcontactcentrum: a contact becomes a same-day zaak, a call-back or nothing.
    WorkType("Klantvraag", "Klantcontactcentrum", "va-klantcontact", "zaaksysteem", _ZS, 0.6,
             (("view", 0.8), ("create", 0.15), ("update", 0.05)), 0.9,
             (0.65, 0.15, 0.05, 0.15, 0.0, 0.0), 3.5, "adult"),
    # HR and payroll handle colleagues; council support handles officials.
    WorkType("Personeelsdossier", "P&O", "va-personeelsadministratie", "zaaksysteem",
             (("basis|adres", 0.6), ("basis|financieel", 0.4)), 0.6, subjects="colleague",
             duration=(7, 90), per_week=0.5),
    WorkType("Loonbeslag", "Salarisadministratie", "va-salarisadministratie", "zaaksysteem",
             (("basis|financieel", 1.0),), 0.5, subjects="colleague", duration=(30, 180),
             per_week=0.3),
    WorkType("Raadsaangelegenheid", "Bestuursondersteuning", "va-bestuursondersteuning",
             "zaaksysteem", _ZS, 0.5, subjects="official", duration=(7, 60), per_week=0.4),
    WorkType("Raadsadministratie", "Griffie", "va-bestuursondersteuning", "zaaksysteem", _ZS,
             0.5, subjects="official", duration=(7, 60), per_week=0.4),
    # Checks without a zaak: quality control, data management, the tax assessment run.
    WorkType("Kwaliteitscontrole", "Functioneel beheer", "va-gegevenskwaliteit", _Z, _ZS, 0.6,
             (("view", 0.85), ("update", 0.1), ("export", 0.05)), 0.6, events=2.5),
    WorkType("Controle aanslag", "Heffing", "va-belastingheffing", "belastingen", _FIN, 0.1,
             (("view", 0.85), ("update", 0.15)), 0.3, events=2.5),
)
# fmt: on


@dataclass(frozen=True)
class Team:
    """A team and how its members work.

    ``role`` drives the workload model: ``desk`` serves appointments and walk-ins,
    ``cases`` works zaken, ``kcc`` answers calls, ``checks`` does record-less quality
    work, ``none`` has no access to personal data. ``caseload`` is active cases per member;
    ``checks`` is record-less accesses (quality checks, late registration) per person-day.
    """

    name: str
    department: str
    role: str
    share: float
    titles: tuple[str, ...]
    caseload: float = 0.0
    checks: float = 0.08


# fmt: off
TEAMS: tuple[Team, ...] = (
    Team("Publiekszaken Balie", "Burgerzaken", "desk", 0.05,
         ("Medewerker Publiekszaken", "Senior medewerker Publiekszaken")),
    Team("Backoffice BRP", "Burgerzaken", "cases", 0.012,
         ("Medewerker Burgerzaken", "Specialist BRP"), 14, 0.4),
    Team("Adreskwaliteit", "Burgerzaken", "cases", 0.01, ("Adresonderzoeker",), 25, 0.2),
    Team("Werk en Inkomen", "Sociaal Domein", "cases", 0.06,
         ("Klantmanager", "Consulent Werk en Inkomen", "Inkomensconsulent"), 55),
    Team("Schuldhulpverlening", "Sociaal Domein", "cases", 0.025,
         ("Schuldhulpverlener", "Budgetcoach"), 40),
    Team("Wmo", "Sociaal Domein", "cases", 0.045, ("Wmo-consulent", "Casemanager Wmo"), 65),
    Team("Jeugd", "Sociaal Domein", "cases", 0.045, ("Jeugdconsulent", "Gezinscoach"), 30),
    Team("Fraude en Terugvordering", "Sociaal Domein", "cases", 0.012,
         ("Sociaal rechercheur", "Handhavingsspecialist"), 20),
    Team("Heffing", "Belastingen", "cases", 0.025, ("Medewerker Heffing",), 30, 0.2),
    Team("Invordering", "Belastingen", "cases", 0.02, ("Medewerker Invordering",), 60),
    Team("WOZ", "Belastingen", "cases", 0.015, ("Taxateur WOZ", "Medewerker WOZ"), 40),
    Team("Vergunningverlening", "Vergunningen", "cases", 0.03,
         ("Vergunningverlener", "Casemanager Vergunningen"), 30),
    Team("Parkeren", "Vergunningen", "cases", 0.015, ("Medewerker Parkeren",), 15),
    Team("Toezicht en Handhaving", "Handhaving", "cases", 0.03,
         ("Toezichthouder", "Handhaver (BOA)", "Jurist Handhaving"), 30),
    Team("Leerplicht", "Handhaving", "cases", 0.01, ("Leerplichtambtenaar",), 40),
    Team("Klantcontactcentrum", "Klantcontactcentrum", "kcc", 0.045,
         ("Klantcontactmedewerker", "Medewerker KCC")),
    Team("Functioneel beheer", "Informatievoorziening", "checks", 0.02,
         ("Functioneel beheerder", "Applicatiebeheerder"), 0, 3.0),
    Team("Data en Analyse", "Informatievoorziening", "none", 0.015, ("Data-analist",)),
    Team("ICT", "Informatievoorziening", "none", 0.03, ("Medewerker ICT", "Netwerkbeheerder")),
    Team("P&O", "HR", "cases", 0.02, ("HR-adviseur", "Medewerker P&O"), 8, 0.2),
    Team("Salarisadministratie", "HR", "cases", 0.01, ("Salarisadministrateur",), 5, 0.1),
    Team("Bestuursondersteuning", "Bestuur en Organisatie", "cases", 0.012,
         ("Bestuursadviseur", "Secretaresse"), 6, 0.05),
    Team("Griffie", "Bestuur en Organisatie", "cases", 0.005, ("Griffier", "Raadsadviseur"), 6,
         0.05),
    Team("Ruimtelijke Ontwikkeling", "Ruimte", "none", 0.08, ("Beleidsadviseur", "Planoloog")),
    Team("Openbare Ruimte", "Ruimte", "none", 0.13, ("Opzichter", "Medewerker buitendienst")),
    Team("Financiën", "Bedrijfsvoering", "none", 0.05, ("Financieel adviseur", "Controller")),
    Team("Communicatie", "Bedrijfsvoering", "none", 0.02, ("Communicatieadviseur",)),
    Team("Facilitaire Zaken", "Bedrijfsvoering", "none", 0.05, ("Facilitair medewerker",)),
    Team("Concernstaf", "Bestuur en Organisatie", "none", 0.03, ("Concernadviseur",)),
    Team("Sport en Cultuur", "Samenleving", "none", 0.05, ("Beleidsmedewerker",)),
)
# fmt: on

SERVICE_TEAM = Team("Integraties", "Informatievoorziening", "service", 0.0, ("Serviceaccount",))


@dataclass(frozen=True)
class ServiceJob:
    """A batch job run by a service account: which records it touches, when and how."""

    account: str
    label: str
    system: str
    activity: str
    action: str
    categories: str
    pool: str  # "everyone", "sociaal", "taxpayers", "elderly", "closed_cases"
    share: float  # fraction of the pool touched per run
    weekdays_only: bool = False
    weekly: bool = False


# fmt: off
SERVICE_JOBS: tuple[ServiceJob, ...] = (
    ServiceJob("svc-brp-sync", "Koppeling BRP-synchronisatie", "brp", "va-brp-bijhouding",
               "update", "basis|adres|bsn", pool="everyone", share=0.035),
    ServiceJob("svc-inlichtingenbureau", "Koppeling Inlichtingenbureau", "sociaal-domein",
               "va-participatiewet", "view", "basis|financieel", pool="sociaal", share=0.15,
               weekdays_only=True),
    ServiceJob("svc-belastingen", "Koppeling Belastingen", "belastingen", "va-belastingheffing",
               "view", "basis|adres|financieel", pool="taxpayers", share=0.015),
    ServiceJob("svc-zaakarchief", "Archivering zaken", "zaaksysteem", "va-archivering", "view",
               "basis", pool="closed_cases", share=1.0),
    ServiceJob("svc-mailing", "Verzendstraat", "zaaksysteem", "va-klantcontact", "export",
               "basis|adres", pool="elderly", share=0.25, weekly=True),
)
# fmt: on

ASSESSMENT_ACCOUNT = "svc-belastingen"
"""The service account that also runs the yearly municipal tax assessment (aanslagoplegging)."""

SURNAME_PREFIXES: tuple[str, ...] = (
    "van der", "van den", "van de", "van 't", "in 't", "op de", "uit de", "van", "de", "den",
    "der", "ter", "ten", "te", "het", "'t",
)  # fmt: skip

COMMON_SURNAMES: tuple[tuple[str, str, float], ...] = (
    ("de", "Jong", 86), ("", "Jansen", 74), ("de", "Vries", 72), ("van den", "Berg", 61),
    ("van", "Dijk", 58), ("", "Bakker", 57), ("", "Janssen", 56), ("", "Visser", 50),
    ("", "Smit", 47), ("", "Meijer", 46), ("de", "Boer", 43), ("", "Mulder", 42),
    ("de", "Groot", 40), ("", "Bos", 39), ("", "Vos", 35), ("", "Peters", 34),
    ("", "Hendriks", 33), ("van", "Leeuwen", 32), ("", "Dekker", 31), ("", "Brouwer", 30),
)  # fmt: skip
"""The most frequent Dutch surnames with their national counts in thousands (CBG)."""

CLASSIC_GIVEN_NAMES: dict[int, tuple[str, ...]] = {
    0: ("Maria", "Johanna", "Cornelia", "Anna", "Elisabeth", "Wilhelmina", "Hendrika",
        "Geertruida", "Petronella", "Catharina", "Adriana", "Grietje", "Aaltje", "Jannetje"),
    1: ("Johannes", "Cornelis", "Hendrik", "Jan", "Pieter", "Gerrit", "Willem", "Jacobus",
        "Adrianus", "Petrus", "Theodorus", "Antonius", "Gerardus", "Hendrikus"),
}  # fmt: skip
"""Given names of people born before about 1965, which Faker's modern pool lacks."""

WATCHLIST_ROLES: tuple[tuple[str, str, int], ...] = (
    ("official", "burgemeester", 1), ("official", "wethouder", 5), ("official", "raadslid", 6),
    ("official", "gemeentesecretaris", 1), ("politician", "Tweede Kamerlid", 2),
    ("politician", "Statenlid", 2), ("politician", "lijsttrekker lokale partij", 1),
    ("public_figure", "presentator", 2), ("public_figure", "profvoetballer", 2),
    ("public_figure", "zanger", 1), ("public_figure", "influencer", 2),
    ("public_figure", "schrijver", 1), ("protected", "bedreigd persoon", 2),
    ("protected", "getuige onder bescherming", 1), ("protected", "beveiligd persoon", 1),
    ("other", "rechter", 1), ("other", "officier van justitie", 1),
)  # fmt: skip
"""Watchlist composition for a town of about 120,000 (scaled with the population)."""


def work_type_index() -> dict[str, int]:
    """Map each work type name to its code (its index in ``WORK_TYPES``)."""
    return {w.name: i for i, w in enumerate(WORK_TYPES)}


def team_index() -> dict[str, int]:
    """Map each team name to its code; the service team comes last."""
    names = [t.name for t in TEAMS] + [SERVICE_TEAM.name]
    return {n: i for i, n in enumerate(names)}

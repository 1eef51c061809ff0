"""The AP's online notification form (*meldformulier datalekken*) as data: chapters,
questions and the options of its multiple-choice questions, in the form's own Dutch.

``BREACH.md`` §9: the numbering is the one OpenVWR reproduces (GitHub
``sourcehaven-bv/openvwr``, ``ApReportBuilder.php`` and ``resources/lang/nl``) from the AP
questionnaire of August 2022 [secondary]; other copies number 0-9. So every question has a
*semantic* id that the dossier, the stored drafts and the officer's particulars use, and the
number is only how the current form shows it: when the AP renumbers, only ``number`` changes
here. §12 item 5 (the current numbering is unverified) applies to every number below.

An option is a pair (code, Dutch label): the code is what is stored, the label what the
officer ticks on the AP's site.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

Options = tuple[tuple[str, str], ...]

FORM_NAME = "Meldformulier datalekken van de Autoriteit Persoonsgegevens"
FORM_VERSION = "vragenlijst augustus 2022, nummering volgens OpenVWR [niet geverifieerd]"
FORM_URL = "https://datalekken.autoriteitpersoonsgegevens.nl"

CHAPTERS: tuple[tuple[str, str, str], ...] = (
    ("1", "introduction", "Introductie"),
    ("2", "international", "Internationale aspecten"),
    ("3", "controller", "De verwerkingsverantwoordelijke"),
    ("4", "timeline", "Tijdlijn"),
    ("5", "breach", "Gegevens over de inbreuk"),
    ("6", "data", "Welke persoonsgegevens"),
    ("7", "people", "Getroffen personen"),
    ("8", "prior_measures", "Maatregelen vooraf"),
    ("9", "consequences", "Gevolgen"),
    ("10", "follow_up", "Vervolgacties"),
)
"""(number, id, Dutch title) of the form's ten chapters."""


@dataclass(frozen=True)
class Question:
    """One question of the form. ``required``: an empty answer is listed as missing."""

    id: str  # semantic and stable, e.g. "timeline.start"
    number: str  # as the current form numbers it, e.g. "4.1.1"; "—" when unnumbered
    chapter: str  # a chapter id of ``CHAPTERS``
    label: str  # Dutch, as on the form
    required: bool = True
    multiple: bool = False  # several options (or lines) may be ticked


MULTI = {"multiple": True}
OPTIONAL = {"required": False}

QUESTIONS: tuple[Question, ...] = (
    Question("notification.type", "1.1", "introduction", "Wat voor soort melding wilt u doen?"),
    Question("notification.legal_regime", "1.2", "introduction",
             "Op grond van welke wettelijke bepaling doet u deze melding?"),
    Question("notification.other_supervisors", "1.3", "introduction",
             "Heeft u de inbreuk gemeld bij toezichthouders op andere meldplichten?", **MULTI),
    Question("international.several_countries", "2.1.1", "international",
             "Heeft de inbreuk gevolgen voor personen in meerdere landen?"),
    Question("international.other_dpas", "2.2.1", "international",
             "Heeft uw organisatie de inbreuk gemeld bij andere privacytoezichthouders?"),
    Question("controller.organisation", "3.1.1a", "controller",
             "Naam van het bedrijf of de organisatie"),
    Question("controller.controllers", "3.1.1b", "controller", "Verwerkingsverantwoordelijke(n)"),
    Question("controller.address", "3.1.1c", "controller", "Adres, postcode en plaats"),
    Question("controller.fg_registration_number", "3.1.1d", "controller",
             "Registratienummer van de FG"),
    Question("controller.kvk_number", "3.1.1e", "controller", "KvK-nummer"),
    Question("controller.sector", "3.1.2", "controller",
             "In welke sector is de organisatie actief?"),
    Question("reporter.name", "3.2.1a", "controller", "Wie meldt de inbreuk? Naam"),
    Question("reporter.function", "3.2.1b", "controller", "Functie van de melder"),
    Question("reporter.email", "3.2.1c", "controller", "E-mailadres van de melder"),
    Question("reporter.phone", "3.2.1d", "controller", "Telefoonnummer van de melder"),
    Question("contact.other", "3.2.2", "controller",
             "Contactpersoon voor de AP, indien afwijkend van de melder", **OPTIONAL),
    Question("controller.other_organisations", "3.3", "controller",
             "Waren er andere organisaties betrokken bij de inbreuk?"),
    Question("timeline.start", "4.1.1", "timeline", "(Mogelijke) startdatum van de inbreuk"),
    Question("timeline.end", "4.1.2", "timeline", "(Mogelijke) einddatum van de inbreuk"),
    Question("timeline.ongoing", "—", "timeline",
             "Duurt de inbreuk nog voort? (in sommige versies van het formulier)", **OPTIONAL),
    Question("timeline.discovered_at", "4.2", "timeline", "Wanneer is het incident ontdekt?"),
    Question("timeline.how_discovered", "4.3", "timeline",
             "Geef (kort) aan hoe u de inbreuk heeft ontdekt"),
    Question("timeline.delay_reason", "4.5", "timeline",
             "Indien later dan 72 uur gemeld: waarom?"),
    Question("breach.nature", "5.1", "breach",
             "Aard van de inbreuk (vertrouwelijkheid, integriteit, beschikbaarheid)", **MULTI),
    Question("breach.kind", "5.2", "breach", "Aard van het incident", **MULTI),
    Question("breach.description", "5.3", "breach", "Beschrijving van het incident"),
    Question("breach.documents", "5.4", "breach", "Ondersteunende documentatie", **OPTIONAL),
    Question("data.kinds", "6.1", "data", "Persoonsgegevens in het algemeen", **MULTI),
    Question("data.special_categories", "6.2", "data",
             "Bijzondere categorieën van persoonsgegevens", **MULTI),
    Question("data.records", "6.3.1", "data", "Hoeveel gegevensrecords zijn getroffen?"),
    Question("people.groups", "7.1", "people", "Welke groep(en) betrokkenen zijn getroffen?",
             **MULTI),
    Question("people.description", "7.2", "people",
             "Nadere omschrijving van de groep(en) betrokkenen"),
    Question("people.count", "7.3", "people", "Aantal betrokkenen (exact, of minimum en maximum)"),
    Question("prior.unintelligible", "8.1", "prior_measures",
             "Waren de persoonsgegevens vooraf versleuteld, gehasht of anderszins "
             "ontoegankelijk?"),
    Question("consequences.data", "9.1", "consequences",
             "(Mogelijke) gevolgen voor de verwerkingsverantwoordelijke en de persoonsgegevens",
             **MULTI),
    Question("consequences.people", "9.2", "consequences",
             "(Mogelijke) gevolgen voor de betrokkene(n)", **MULTI),
    Question("consequences.severity", "9.3", "consequences",
             "Inschatting ernst: verwaarloosbaar, beperkt, aanzienlijk of zeer groot"),
    Question("follow_up.informed", "10.1.1", "follow_up",
             "Heeft u de inbreuk gemeld aan de betrokkene(n)?"),
    Question("follow_up.informed_count", "10.1.3", "follow_up",
             "Aan hoeveel personen heeft u de inbreuk gemeld?"),
    Question("follow_up.informed_how", "10.1.7", "follow_up",
             "Op welke wijze zijn de betrokkenen geïnformeerd?", **MULTI),
    Question("follow_up.measures", "10.2", "follow_up", "Welke maatregelen heeft u getroffen?",
             **MULTI),
)  # fmt: skip

QUESTION: Mapping[str, Question] = MappingProxyType({q.id: q for q in QUESTIONS})

# --- Options of the multiple-choice questions ------------------------------------------------

NOTIFICATION_TYPES: Options = (
    ("regular", "Ik wil één inbreuk melden (reguliere melding)"),
    ("follow_up", "Ik wil een eerdere melding aanvullen of wijzigen (vervolgmelding)"),
)
LEGAL_REGIMES: Options = (
    ("avg", "Algemene verordening gegevensbescherming (AVG)"),
    ("wpg", "Wet politiegegevens (Wpg)"),
)
SUPERVISORS: Options = (
    ("afm", "Autoriteit Financiële Markten (AFM)"),
    ("at", "Agentschap Telecom (AT)"),
    ("dnb", "De Nederlandsche Bank (DNB)"),
    ("igj", "Inspectie Gezondheidszorg en Jeugd (IGJ)"),
    ("ilt", "Inspectie Leefomgeving en Transport (ILT)"),
    ("onderwijs", "Inspectie voor het Onderwijs"),
    ("nctv", "Nationaal Coördinator Terrorismebestrijding en Veiligheid (NCTV)"),
    ("ovv", "Onderzoeksraad voor Veiligheid (OVV)"),
    ("other", "Andere toezichthouder"),
)
YES_NO: Options = (("no", "Nee"), ("yes", "Ja"))
NATURE: Options = (
    ("viewed", "Persoonsgegevens (mogelijk) ingezien door onbevoegden"),
    ("altered", "Persoonsgegevens ongeoorloofd of onopzettelijk gewijzigd"),
    ("lost", "Persoonsgegevens permanent niet beschikbaar (verloren/verwijderd)"),
    ("unavailable", "Persoonsgegevens tijdelijk niet beschikbaar"),
)
INCIDENT_KINDS: Options = (
    ("mail_wrong_recipient", "E-mail met persoonsgegevens verstuurd aan verkeerde ontvanger(s)"),
    ("mail_cc", "E-mail verstuurd met persoonsgegevens met ontvangers in het aan-veld of in de "
                "cc, in plaats van bcc"),
    ("post_wrong_recipient", "Brief of postpakket met persoonsgegevens verstuurd of afgegeven "
                             "aan de verkeerde ontvanger(s)"),
    ("post_returned_open", "Brief of postpakket met persoonsgegevens geopend retour ontvangen"),
    ("post_lost", "Brief of postpakket met persoonsgegevens kwijtgeraakt"),
    ("authorisations", "Autorisatie(s) van medewerker(s) verkeerd ingesteld."),
    ("network_folders", "Netwerkmappen of -locaties met persoonsgegevens zijn te breed "
                        "toegankelijk ingesteld binnen de organisatie"),
    ("device_lost", "Apparaat, gegevensdrager (bijv. USB-stick) en/of papier met "
                    "persoonsgegevens kwijtgeraakt of gestolen"),
    ("published", "Persoonsgegevens per ongeluk gepubliceerd"),
    ("hacking", "Hacking, malware (bijv. ransomware) en/of phishing"),
    ("wrong_file", "Persoonsgegevens toegevoegd aan het verkeerde dossier"),
    ("other", "Overig"),
)  # fmt: skip
DATA_KINDS: Options = (
    ("name", "Naam"),
    ("gender", "Geslacht"),
    ("birth_date", "Geboortedatum en/of leeftijd"),
    ("bsn", "Burgerservicenummer (BSN)"),
    ("contact", "Contactgegevens"),
    ("address", "Adres en woonplaats"),
    ("email", "E-mailadres"),
    ("phone", "Telefoonnummer"),
    ("login", "Toegangs- of identificatiegegevens"),
    ("financial", "Financiële gegevens"),
    ("iban", "Bankrekeningnummer / IBAN"),
    ("credit_card", "Creditcardgegevens"),
    ("debts", "Gegevens over (problematische) schulden"),
    ("benefits", "Gegevens over uitkering en/of schulden"),
    ("other_financial", "Andere financiële gegevens"),
    ("id_documents", "(Kopieën van) paspoorten of andere legitimatiebewijzen"),
    ("location", "Locatiegegevens"),
    ("criminal", "Persoonsgegevens betreffende strafrechtelijke veroordelingen en strafbare "
                 "feiten of daarmee verband houdende veiligheidsmaatregelen"),
    ("unknown", "Onbekend"),
    ("other", "Anders"),
)  # fmt: skip
SPECIAL_CATEGORIES: Options = (
    ("ethnicity", "Persoonsgegevens waaruit iemands ras of etnische afkomst blijkt"),
    ("political", "Persoonsgegevens waaruit iemands politieke opvattingen blijken"),
    ("religion", "Persoonsgegevens waaruit iemands religieuze of levensbeschouwelijke "
                 "overtuigingen blijken"),
    ("trade_union", "Persoonsgegevens waaruit iemands lidmaatschap van een vakbond blijkt"),
    ("sex_life", "Gegevens met betrekking tot iemands seksueel gedrag of seksuele gerichtheid"),
    ("health", "Gegevens over iemands gezondheid"),
    ("genetic", "Genetische gegevens"),
    ("biometric", "Biometrische gegevens (bijvoorbeeld: vingerafdruk of irisscan)"),
)  # fmt: skip
GROUPS: Options = (
    ("employees", "Werknemers"),
    ("customers", "Klanten (huidig en potentieel)"),
    ("pupils", "Leerlingen of studenten"),
    ("patients", "Patiënten"),
    ("minors", "Minderjarigen"),
    ("vulnerable", "Personen uit andere kwetsbare groepen"),
    ("other", "Anders"),
)
UNINTELLIGIBLE: Options = (
    ("encrypted", "Versleuteld (encryptie)"),
    ("hashed", "Gehasht"),
    ("other", "Op een andere manier onbegrijpelijk of ontoegankelijk gemaakt"),
    ("no", "Nee"),
)
CONSEQUENCES_DATA: Options = (
    ("seen", "Onbevoegden hebben kennis kunnen nemen van de gegevens"),
    ("misused", "De gegevens kunnen op een onbehoorlijke of onrechtmatige manier worden gebruikt"),
    ("wrong_data_used", "Er worden binnen uw eigen organisatie mogelijk onjuiste, onvolledige "
                        "of achterhaalde persoonsgegevens gebruikt"),
    ("passed_on", "Er worden mogelijk onjuiste, onvolledige of achterhaalde persoonsgegevens "
                  "hergebruikt voor andere doeleinden of doorgegeven aan andere organisaties"),
    ("service_temporary", "Een essentiële dienst kan tijdelijk niet meer worden verleend aan "
                          "degenen van wie gegevens zijn gelekt"),
    ("service_permanent", "Een essentiële dienst kan permanent niet meer worden verleend aan "
                          "degenen van wie gegevens zijn gelekt"),
    ("other", "Anders"),
)  # fmt: skip
CONSEQUENCES_PEOPLE: Options = (
    ("discrimination", "Discriminatie of uitsluiting"),
    ("identity_fraud", "Identiteitsdiefstal of -fraude"),
    ("financial_loss", "Financieel verlies"),
    ("reputation", "Reputatieschade"),
    ("professional_secrecy", "Verlies van vertrouwelijkheid van door het beroepsgeheim "
                             "beschermde persoonsgegevens"),
    ("pseudonymisation", "Ongeoorloofde ongedaanmaking van pseudonimisering"),
    ("no_access", "Betrokkenen kunnen hun persoonsgegevens niet inzien of op verzoek laten "
                  "verwijderen"),
    ("loss_of_control", "Betrokkenen verliezen het overzicht van welke organisaties hun "
                        "persoonsgegevens verwerken"),
    ("other", "Anders"),
)  # fmt: skip
SEVERITY: Options = (
    ("negligible", "Verwaarloosbaar"),
    ("limited", "Beperkt"),
    ("significant", "Aanzienlijk"),
    ("very_large", "Zeer groot"),
)
INFORMED: Options = (
    ("yes", "Ja"),
    ("planned", "Nog niet, maar dat gaan we doen"),
    ("no", "Nee"),
)
CHANNELS: Options = (
    ("phone", "Telefonisch"),
    ("letter", "Per brief"),
    ("email", "Per e-mail"),
    ("website", "Via een mededeling op de website"),
    ("social_media", "Via social media"),
    ("newspaper", "Via een advertentie in de krant"),
    ("other", "Anders"),
)


def label(options: Options, code: str) -> str:
    """The Dutch label of ``code`` among ``options`` (the code itself if unknown)."""
    return dict(options).get(code, code)

"""Request and response bodies of ``/api/v1`` (Pydantic models; they make the OpenAPI schemas).

Field names are snake_case, as in the contract's alert export. Timestamps are ISO 8601 in
Dutch local time with their offset (``2026-03-02T14:05:00+01:00``), dates ``YYYY-MM-DD``.

What the API never gives out: an employee id behind an alert or dossier (only the stable
pseudonym, ``MW-XXXX-XXXX``, for every role: re-identifying is a separate, justified act in
the web app) and a full BSN (only the last three digits, ``••••••123``, in lists and details
alike). The contract's admin export (``schildwacht alerts export``) is the place for both.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]
"""Free text that must say something: surrounding blanks are dropped, blank is refused."""


class Link(BaseModel):
    href: str = Field(description="Pad van de bron, relatief aan de host.")


Links = Annotated[
    dict[str, Link],
    Field(description="Verwijzingen: altijd `self`; lijsten ook `first`, `prev`, `next`, `last`."),
]


# --- errors (documentation only: the app's handlers write them) -------------------------


class Problem(BaseModel):
    """RFC 9457 problem details, as every error of this API is sent."""

    type: str = Field("about:blank", description="Altijd `about:blank`: zie `status`.")
    title: str = Field(description="Korte omschrijving van de soort fout.")
    status: int = Field(description="De HTTP-statuscode.")
    detail: str | None = Field(None, description="Wat er mis is, in één regel (Nederlands).")


class InvalidParam(BaseModel):
    name: str = Field(description="Het veld of de parameter, bijvoorbeeld `page_size`.")
    code: str = Field(description="Soort fout, bijvoorbeeld `missing` of `less_than_equal`.")
    reason: str = Field(description="Waarom de waarde niet geldig is.")


class ValidationProblem(Problem):
    invalidParams: list[InvalidParam] = Field(  # the name the API rules use
        description="Elk ongeldig veld met de reden."
    )


# --- alerts --------------------------------------------------------------------------------


class Reason(BaseModel):
    scenario: str
    code: str = Field(description="Machineleesbaar detail, bijvoorbeeld `relation:ex_partner`.")
    text_nl: str
    text_en: str
    points: float = Field(description="Bijdrage aan de score vóór de omrekening naar 0-100.")


class AlertSummary(BaseModel):
    """One alert as the queue lists it."""

    alert_id: str
    employee: str = Field(description="Pseudoniem van de medewerker (nooit het personeelsnummer).")
    department: str | None
    subject_bsns: list[str] = Field(
        description="BSN's van de betrokkenen, gemaskeerd: alleen de laatste drie cijfers."
    )
    scenarios: list[str]
    score: float = Field(ge=0, le=100)
    first_seen: datetime
    last_seen: datetime
    summary_nl: str
    summary_en: str
    status: Literal["nieuw", "in_onderzoek", "afgesloten"]
    assignee: str | None = Field(description="Gebruikersnaam van de onderzoeker, of null.")
    links: Links


class AlertPage(BaseModel):
    items: list[AlertSummary] = Field(description="Hoogste score eerst.")
    total: int = Field(description="Aantal meldingen dat aan alle filters voldoet.")
    page: int
    page_size: int
    counts_by_status: dict[str, int] = Field(
        description="Aantal per status, met alle filters behalve `status` toegepast."
    )
    links: Links


class HistoryEntry(BaseModel):
    note_id: int
    at: datetime
    author: str | None = Field(description="Gebruikersnaam van wie het deed.")
    kind: Literal["comment", "status", "assignment", "decision", "reveal"]
    text: str
    details: dict[str, Any]


class Decision(BaseModel):
    decision_id: int
    resolution: str
    note: str
    four_eyes: bool = Field(description="Of een tweede privacy officer moet bevestigen.")
    state: Literal["pending", "confirmed", "rejected", "withdrawn"]
    proposed_by: str | None
    proposed_at: datetime
    second_by: str | None = Field(description="Wie bevestigde of afwees (vier ogen).")
    second_at: datetime | None
    second_note: str | None


class AlertDetail(AlertSummary):
    """One alert with its evidence summary and workflow."""

    reasons: list[Reason]
    scenario_versions: dict[str, str]
    event_ids: list[str] = Field(description="Bewijsgebeurtenissen, `bronsysteem:event_id`.")
    history: list[HistoryEntry] = Field(description="Oudste eerst.")
    decisions: list[Decision] = Field(description="Alle afsluitbesluiten, oudste eerst.")
    pending_decision: Decision | None = Field(
        description="Het besluit dat op een tweede privacy officer wacht, of null."
    )
    related_alert_ids: list[str] = Field(
        description="Andere meldingen over dezelfde medewerker of dezelfde betrokkenen."
    )
    dossier_ids: list[int]


class StatusAction(BaseModel):
    """A step in the workflow; which other fields apply depends on ``action``."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["start_investigation", "close", "confirm", "reject", "reopen"] = Field(
        description=(
            "`start_investigation`: nieuw → in_onderzoek (geen andere velden). "
            "`close`: afsluiten met `resolution` en `note`; bij vier ogen wordt het een "
            "voorstel. `confirm`: een tweede privacy officer bevestigt besluit `decision_id` "
            "(`note` optioneel). `reject`: idem afwijzen (`note` verplicht). `reopen`: een "
            "afgesloten melding heropenen (`note` verplicht)."
        )
    )
    resolution: str | None = Field(
        None, description="Alleen bij `close`: een afhandeling uit de ingestelde lijst."
    )
    note: str | None = Field(None, max_length=5000, description="Toelichting.")
    decision_id: int | None = Field(None, description="Alleen bij `confirm` en `reject`.")


class CommentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: Text


class AssigneeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    assignee: str | None = Field(
        description="Gebruikersnaam van een actieve gebruiker die mag onderzoeken; null: niemand."
    )


# --- dossiers ------------------------------------------------------------------------------


class Dossier(BaseModel):
    dossier_id: int
    employee: str = Field(description="Pseudoniem van de medewerker.")
    title: str
    description: str
    status: Literal["open", "gesloten"]
    created_by: str | None
    created_at: datetime
    updated_at: datetime
    alert_ids: list[str]
    links: Links


class DossierList(BaseModel):
    items: list[Dossier] = Field(description="Laatst gewijzigd eerst.")
    total: int


class DossierIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    alert_ids: list[str] = Field(
        min_length=1, max_length=500, description="Meldingen over één en dezelfde medewerker."
    )
    description: str = Field("", max_length=20000)


class DossierAlertIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    alert_id: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


# --- suppressions --------------------------------------------------------------------------


class Suppression(BaseModel):
    id: int
    scenario: str | None
    employee_id: str | None = Field(description="Het personeelsnummer zoals de beheerder het gaf.")
    team: str | None
    department: str | None
    subject_bsn: str | None = Field(description="Gemaskeerd: alleen de laatste drie cijfers.")
    period_start: datetime | None = Field(description="Begin van de periode (inclusief).")
    period_end: datetime | None = Field(description="Einde van de periode (exclusief).")
    reason: str
    expires_on: date = Field(description="Laatste dag waarop de onderdrukking geldt.")
    expired: bool
    created_by: str
    created_at: datetime
    links: Links


class SuppressionList(BaseModel):
    items: list[Suppression]
    total: int


class SuppressionIn(BaseModel):
    """At least one target (scenario, employee, team, department, subject) is required."""

    model_config = ConfigDict(extra="forbid")

    reason: Text
    expires_on: date = Field(description="Laatste dag waarop de onderdrukking geldt.")
    scenario: str | None = None
    employee_id: str | None = Field(None, max_length=128)
    team: str | None = Field(None, max_length=128)
    department: str | None = Field(None, max_length=128)
    subject_bsn: str | None = Field(None, description="BSN van de betrokkene (elfproef).")
    period_from: date | None = Field(None, description="Eerste dag van het bewijs dat het dekt.")
    period_until: date | None = Field(None, description="Laatste dag van het bewijs dat het dekt.")


# --- me ------------------------------------------------------------------------------------


class Me(BaseModel):
    username: str
    display_name: str
    roles: list[str]
    permissions: list[str]

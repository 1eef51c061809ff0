"""Breach dossiers ("datalekken"): the dashboard with the 72-hour clock, the guided
assessment, the decisions, the notification to the AP and its additions, measures, closing.

Reading needs ``Permission.breaches`` (privacy officer, FG); every act needs
``breach_handle`` (privacy officer) except the FG's confirmation (``fg_confirm``). The
services check the same permissions again, so a route can never grant more. Every view of
a dossier is recorded in the audit trail (the dossier names an employee's pseudonym and
counts citizens). A refused act shows the dossier again with the reason and the HTTP status
of the refusal; nothing is half-written, because each act is one transaction.

The pages speak the viewer's language like the rest of the app: the templates translate their
texts, the guidance (``guidance``, marked there), the clock (``ClockView``) and the severity
labels (``SEVERITY_LABELS``) with the English catalog. Refusals from the services, the
dossier's outstanding steps and the grounds of the default assessment stay Dutch, like every
service text of the app. The documents (the AP draft, the letters, the register) are Dutch on
purpose.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from schildwacht.app.audit.service import append
from schildwacht.app.auth.roles import Permission
from schildwacht.app.base import utc_now
from schildwacht.app.breaches import guidance, service
from schildwacht.app.breaches.affected import (
    DATA_CATEGORIES,
    WATCHLIST_CATEGORIES,
    entered_by_hand,
    severity_defaults,
)
from schildwacht.app.breaches.deadline import (
    AMSTERDAM,
    WARNING_LABELS_NL,
    ClockStatus,
    clock_status,
)
from schildwacht.app.breaches.documents import (
    ap_draft_pdf,
    draft_values,
    letter_pdf,
    register_pdf,
)
from schildwacht.app.breaches.letters import letter_batch
from schildwacht.app.breaches.models import (
    Art34Exception,
    Breach,
    BreachOrigin,
    BreachStatus,
    DecisionKind,
    MeasureKind,
    outstanding,
)
from schildwacht.app.breaches.notification import (
    PARTICULARS,
    ApDraft,
    alert_facts,
    build_draft,
    parse_particulars,
)
from schildwacht.app.breaches.register import register_csv
from schildwacht.app.breaches.severity import (
    Availability,
    Confidentiality,
    Context,
    Identification,
    Integrity,
    Motive,
    assess,
    dutch,
)
from schildwacht.errors import Conflict, NotFound, PermissionDenied, UserError
from schildwacht.web.deps import Viewer, context, page
from schildwacht.web.i18n import DEFAULT_LANGUAGE, translations
from schildwacht.web.rendering import N_, render

router = APIRouter(prefix="/datalekken")
Reader = Annotated[Viewer, Depends(page(Permission.breaches))]
Handler = Annotated[Viewer, Depends(page(Permission.breach_handle))]
Fg = Annotated[Viewer, Depends(page(Permission.fg_confirm))]
FormText = Annotated[str, Form()]
PDF_TYPE = "application/pdf"
CSV_TYPE = "text/csv; charset=utf-8"


# --- The clock in words ----------------------------------------------------------------------

CLOCK_LABELS = (
    N_("ruim binnen de termijn"), N_("nog 48 uur of minder"), N_("nog 24 uur of minder"),
    N_("nog 4 uur of minder"), N_("termijn verstreken"), N_("klok gestopt"),
)  # fmt: skip
"""``deadline.WARNING_LABELS_NL`` and the stopped clock, marked for the catalog (a test checks
that every warning label is here); ``ClockView.label`` translates them."""


def duration_words(left: timedelta, lang: str = DEFAULT_LANGUAGE) -> str:
    """'31 uur en 20 minuten' in ``lang`` (whole minutes, rounded down; never negative)."""
    words = translations(lang)
    minutes = max(int(abs(left).total_seconds() // 60), 0)
    hours, rest = divmod(minutes, 60)
    # Dutch says "uur" for one hour or more, and the page has always said "minuten"
    hours_text = words.ngettext("%(num)s uur", "%(num)s uur", hours) % {"num": hours}
    rest_text = words.ngettext("%(num)s minuten", "%(num)s minuten", rest) % {"num": rest}
    if hours and rest:
        return words.gettext("%(uren)s en %(minuten)s") % {"uren": hours_text, "minuten": rest_text}
    return hours_text if hours else rest_text


@dataclass(frozen=True)
class ClockView:
    """One dossier's clock as the dashboard and the dossier page show it, in ``lang``."""

    status: ClockStatus
    running: bool  # False once notified, or once not notifying is confirmed
    lang: str = DEFAULT_LANGUAGE

    @property
    def css(self) -> str:
        return guidance.WARNING_CLASSES[self.status.level.value] if self.running else "gestopt"

    @property
    def label(self) -> str:
        label = WARNING_LABELS_NL[self.status.level] if self.running else "klok gestopt"
        return translations(self.lang).gettext(label)

    @property
    def text(self) -> str:
        left, words = self.status.remaining, translations(self.lang)
        duration = duration_words(left, self.lang)
        if left < timedelta(0):
            return words.gettext("termijn %(duur)s verstreken") % {"duur": duration}
        return words.gettext("nog %(duur)s") % {"duur": duration}


def clock_of(breach: Breach, now: datetime, lang: str = DEFAULT_LANGUAGE) -> ClockView:
    """The clock stops at the notification; a confirmed decision not to notify stops it too."""
    running = breach.status == BreachStatus.open and breach.notify_ap
    at = breach.notified_at or now
    return ClockView(clock_status(breach.aware_at, at), running, lang)


SEVERITY_LABELS = (
    N_("eenvoudig"), N_("gedrag"), N_("financieel"), N_("gevoelig"),
    N_("verwaarloosbaar"), N_("beperkt"), N_("aanzienlijk"), N_("maximaal"),
    N_("geen"), N_("bekende ontvanger(s)"), N_("onbekend aantal ontvangers"),
    N_("herstelbaar"), N_("onherstelbaar"), N_("tijdelijk"), N_("blijvend"),
)  # fmt: skip
"""The Dutch labels of ``severity.dutch`` the assessment form shows, marked for the catalog (a
test checks that every label of those codes is here); the template translates them."""


# --- Parsing form values ---------------------------------------------------------------------


def local_moment(value: str, field: str) -> datetime:
    """A moment from an ``<input type="datetime-local">``, meant in Amsterdam time."""
    try:
        naive = datetime.fromisoformat(value.strip())
    except ValueError:
        raise UserError(f"{field}: vul een geldige datum en tijd in (JJJJ-MM-DD UU:MM)") from None
    if naive.tzinfo is not None:
        return naive
    return naive.replace(tzinfo=AMSTERDAM)


def local_day(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise UserError(f"{field}: vul een geldige datum in (JJJJ-MM-DD)") from None


def _now_local() -> str:
    return datetime.now(AMSTERDAM).strftime("%Y-%m-%dT%H:%M")


# --- Pages -----------------------------------------------------------------------------------


@router.get("")
def breach_dashboard(request: Request, viewer: Reader) -> Response:
    return _dashboard(request, viewer)


def _dashboard(
    request: Request, viewer: Viewer, *, status_code: int = 200, **values: Any
) -> Response:
    """Every breach dossier, open ones first, with the clock and what is outstanding; also
    shown again, with the refusal, when opening one by hand fails."""
    now = utc_now()
    with context(request).tx() as db:
        breaches = service.list_breaches(db, user=viewer.user)
    rows = [(b, clock_of(b, now, viewer.lang), outstanding(b)) for b in breaches]
    rows.sort(key=lambda r: (r[0].status != BreachStatus.open, r[1].status.remaining))
    urgent = [r for r in rows if r[1].running and r[1].status.level.value != "none"]
    return render(request, "breaches/list.html", viewer, status_code=status_code, rows=rows,
                  urgent=urgent, origins=guidance.ORIGINS_NL, now_local=_now_local(),
                  **values)  # fmt: skip


def _dossier_page(
    request: Request, viewer: Viewer, breach_id: int, *, status_code: int = 200,
    error: str | None = None, form: dict[str, Any] | None = None,
) -> Response:  # fmt: skip
    """The dossier with every step of the procedure; each view is one audit entry."""
    query = request.query_params
    motive = query.get("motief", Motive.unknown.value)
    motive = motive if motive in Motive.__members__ else Motive.unknown.value
    passed_on = query.get("doorgegeven") == "1"
    with context(request).tx() as db:
        breach = service.get_breach(db, breach_id=breach_id, user=viewer.user)
        append(db, actor=viewer.user.username, action="view_breach",
               target=f"breach:{breach_id}", details={}, client=viewer.client)  # fmt: skip
    defaults = severity_defaults(breach.affected, motive=motive, passed_on=passed_on)
    return render(
        request, "breaches/detail.html", viewer, status_code=status_code, breach=breach,
        clock=clock_of(breach, utc_now(), viewer.lang), todo=outstanding(breach),
        refusals=service.closing_refusals(breach), defaults=defaults, motive=motive,
        passed_on=passed_on, g=guidance, dutch=dutch, enums=_ENUMS, error=error,
        form=form or {}, now_local=_now_local(), today=datetime.now(AMSTERDAM).date(),
        DecisionKind=DecisionKind, PARTICULARS=PARTICULARS, particulars=breach.particulars,
        data_categories=DATA_CATEGORIES, watchlist_categories=WATCHLIST_CATEGORIES,
    )  # fmt: skip


_ENUMS = {
    "context": list(Context), "identification": list(Identification),
    "confidentiality": list(Confidentiality), "integrity": list(Integrity),
    "availability": list(Availability), "motive": list(Motive),
    "exception": list(Art34Exception), "measure": list(MeasureKind),
    "origin": [o for o in BreachOrigin if o != BreachOrigin.dossier],
}  # fmt: skip


@router.get("/register.csv")
@router.get("/register.pdf")
def breach_register(request: Request, viewer: Reader) -> Response:
    """The Art. 33(5) register: every breach, notified or not; staff as pseudonyms."""
    ctx = context(request)
    fmt = request.url.path.rsplit(".", 1)[-1]
    with ctx.tx() as db:
        breaches = service.list_breaches(db, user=viewer.user)
        append(db, actor=viewer.user.username, action="breach_register_exported",
               details={"breaches": len(breaches), "format": fmt, "via": "web"},
               client=viewer.client)  # fmt: skip
    if fmt == "pdf":
        body, media = register_pdf(breaches, ctx.pseudonym), PDF_TYPE
    else:
        body, media = register_csv(breaches, ctx.pseudonym).encode("utf-8-sig"), CSV_TYPE
    return _download(body, media, f"register-datalekken.{fmt}")


def _download(body: bytes, media: str, name: str) -> Response:
    """A file to keep; its name holds no personal data."""
    return Response(body, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip


@router.get("/{breach_id}/ap-melding")
@router.get("/{breach_id}/ap-melding.pdf")
@router.get("/{breach_id}/ap-melding.json")
def breach_ap_draft(request: Request, breach_id: int, viewer: Reader) -> Response:
    """The AP notification draft as a printable page, a PDF or JSON (to copy into the AP's
    online form); an addition once the first notification was sent. Audited per view."""
    path = request.url.path
    fmt = "pdf" if path.endswith(".pdf") else "json" if path.endswith(".json") else "html"
    with context(request).tx() as db:
        notified = service.get_breach(db, breach_id=breach_id, user=viewer.user).notices
        draft = _draft(db, request, viewer, breach_id, "addition" if notified else "initial")
        append(db, actor=viewer.user.username, action="breach_draft_viewed",
               target=f"breach:{breach_id}", details={"format": fmt, "phase": draft.phase},
               client=viewer.client)  # fmt: skip
    if fmt == "json":
        return JSONResponse(draft.as_json())
    if fmt == "pdf":
        return _download(ap_draft_pdf(draft), PDF_TYPE, f"ap-melding-datalek-{breach_id}.pdf")
    return render(request, "breaches/ap_draft.html", viewer, layout="base.html",
                  **draft_values(draft))  # fmt: skip


@router.get("/{breach_id}/brieven.pdf")
def breach_letters(request: Request, breach_id: int, viewer: Handler) -> Response:
    """A letter to each affected person, one per page; only once informing was decided and
    not postponed. Writing letters re-identifies citizens, so it is the handler's act."""
    ctx = context(request)
    try:
        with ctx.tx() as db:
            breach = service.get_breach(db, breach_id=breach_id, user=viewer.user)
            batch = letter_batch(db, ctx.store, breach, organisation=ctx.settings.organisation,
                                 now=utc_now())  # fmt: skip
            append(db, actor=viewer.user.username, action="breach_letters_made",
                   target=f"breach:{breach_id}",
                   details={"letters": len(batch.recipients), "deceased": batch.deceased},
                   client=viewer.client)  # fmt: skip
    except (PermissionDenied, NotFound):
        raise
    except UserError as refusal:  # not decided to inform, or postponed (art. 41 UAVG)
        return _dossier_page(request, viewer, breach_id, status_code=409, error=str(refusal))
    return _download(letter_pdf(batch), PDF_TYPE, f"brieven-datalek-{breach_id}.pdf")


@router.post("/{breach_id}/meldgegevens")
async def breach_particulars(request: Request, breach_id: int, viewer: Handler) -> Response:
    """The AP form's answers only the officer can give (``notification.PARTICULARS``)."""
    submitted = await request.form()
    return await run_in_threadpool(
        _act, request, viewer, breach_id, lambda db: service.record_particulars(
            db, breach_id=breach_id, user=viewer.user,
            particulars=parse_particulars(submitted), client=viewer.client,
        ), "stap-5", {"particulars": True},
    )  # fmt: skip


@router.get("/{breach_id}")
def breach_detail(request: Request, breach_id: int, viewer: Reader) -> Response:
    return _dossier_page(request, viewer, breach_id)


def _act(
    request: Request, viewer: Viewer, breach_id: int, work: Callable[[Session], object],
    anchor: str, form: dict[str, Any] | None = None,
) -> Response:  # fmt: skip
    """Run one act in one transaction; on a refusal show the dossier with the reason."""
    try:
        with context(request).tx() as db:
            work(db)
    except (PermissionDenied, NotFound):
        raise
    except UserError as refusal:
        status = 409 if isinstance(refusal, Conflict) else 400
        return _dossier_page(request, viewer, breach_id, status_code=status,
                             error=str(refusal), form=form)  # fmt: skip
    return RedirectResponse(f"/datalekken/{breach_id}#{anchor}", status_code=303)


# --- Opening ---------------------------------------------------------------------------------


@router.post("")
def breach_open_by_hand(
    request: Request, viewer: Handler, origin: FormText, title: FormText, aware_at: FormText,
    note: FormText,
) -> Response:  # fmt: skip
    """A dossier from a tip, the Rijksrecherche or a manager: awareness as entered."""
    try:
        with context(request).tx() as db:
            breach = service.open_by_hand(
                db, origin=origin, title=title, user=viewer.user, note=note,
                aware_at=local_moment(aware_at, "moment van kennisname"), client=viewer.client,
            )  # fmt: skip
    except (PermissionDenied, NotFound):
        raise
    except UserError as refusal:
        form = {"origin": origin, "title": title, "aware_at": aware_at, "note": note}
        return _dashboard(request, viewer, status_code=400, error=str(refusal), form=form)
    return RedirectResponse(f"/datalekken/{breach.breach_id}", status_code=303)


@router.post("/uit-dossier/{dossier_id}")
def breach_open_from_dossier(
    request: Request, dossier_id: int, viewer: Handler, aware_at: FormText, note: FormText
) -> Response:
    """A dossier for an investigation file whose misuse was confirmed (four-eyes); the people
    affected are counted from the evidence events in the store."""
    ctx = context(request)
    with ctx.tx() as db:
        breach = service.open_from_dossier(
            db, dossier_id=dossier_id, user=viewer.user, note=note, store=ctx.store,
            aware_at=local_moment(aware_at, "moment van kennisname"), client=viewer.client,
        )  # fmt: skip
    return RedirectResponse(f"/datalekken/{breach.breach_id}", status_code=303)


# --- Assessment ------------------------------------------------------------------------------


@router.post("/{breach_id}/beoordeling")
def breach_is_breach(
    request: Request, breach_id: int, viewer: Handler, value: FormText, reason: FormText
) -> Response:
    """Step 1: the finding that this is (or is not) a personal data breach."""
    return _act(request, viewer, breach_id, lambda db: service.decide(
        db, breach_id=breach_id, user=viewer.user, kind=DecisionKind.is_breach,
        value=value == "ja", reason=reason, client=viewer.client,
    ), "stap-1")  # fmt: skip


@router.post("/{breach_id}/getroffenen")
async def breach_affected_by_hand(request: Request, breach_id: int, viewer: Handler) -> Response:
    """Step 2 for a dossier the evidence does not cover: the officer enters the people."""
    submitted = await request.form()

    def number(field: str) -> int:
        value = str(submitted.get(field, "")).strip()
        if not value.isdigit():
            raise UserError(f"getroffen personen: vul bij '{field}' een geheel getal in")
        return int(value)

    def work(db: Session) -> object:
        current = service.get_breach(db, breach_id=breach_id, user=viewer.user)
        summary = entered_by_hand(
            people=number("people"), records=number("records"),
            data_categories=[str(v) for v in submitted.getlist("data_categories")],
            minors=number("minors"), confidential_addresses=number("confidential"),
            watchlist_categories=[str(v) for v in submitted.getlist("watchlist")],
            alert_ids=current.affected.get("alert_ids", []),
        )  # fmt: skip
        return service.update_affected(
            db, breach_id=breach_id, user=viewer.user, affected=summary.as_dict(),
            client=viewer.client,
        )  # fmt: skip

    return await run_in_threadpool(_act, request, viewer, breach_id, work, "stap-2")


@router.post("/{breach_id}/opnieuw-tellen")
def breach_recount(request: Request, breach_id: int, viewer: Handler) -> Response:
    ctx = context(request)
    return _act(request, viewer, breach_id, lambda db: service.recount_affected(
        db, breach_id=breach_id, user=viewer.user, store=ctx.store, client=viewer.client,
    ), "stap-2")  # fmt: skip


@router.post("/{breach_id}/ernst")
def breach_severity(
    request: Request, breach_id: int, viewer: Handler, context_: Annotated[str, Form(
        alias="context")], identification: FormText, confidentiality: FormText,
    integrity: FormText, availability: FormText, reason: FormText,
    context_score: FormText = "", dpc_reason: FormText = "", malicious: FormText = "",
) -> Response:  # fmt: skip
    """Step 3: the ENISA score from every component; a changed DPC needs its reason."""
    form = {"context": context_, "context_score": context_score, "dpc_reason": dpc_reason,
            "identification": identification, "confidentiality": confidentiality,
            "integrity": integrity, "availability": availability, "reason": reason,
            "malicious": malicious}  # fmt: skip

    def work(db: Session) -> object:
        score = int(context_score) if context_score.strip().isdigit() else None
        if context_score.strip() and score is None:
            raise UserError("aangepaste DPC: vul een geheel getal van 1 tot en met 4 in")
        assessment = assess(
            context=context_, context_score=score, reason=dpc_reason or None,
            identification=identification, confidentiality=confidentiality,
            integrity=integrity, availability=availability, malicious=malicious == "ja",
        )  # fmt: skip
        return service.record_severity(db, breach_id=breach_id, user=viewer.user,
                                       assessment=assessment, reason=reason,
                                       client=viewer.client)  # fmt: skip

    return _act(request, viewer, breach_id, work, "stap-3", form)


@router.post("/{breach_id}/besluit")
def breach_decide(
    request: Request, breach_id: int, viewer: Handler, kind: FormText, value: FormText,
    reason: FormText, exception: FormText = "", review_on: FormText = "",
) -> Response:  # fmt: skip
    """Step 4: notify the AP, inform the people, postpone (UAVG art. 41)."""

    def work(db: Session) -> object:
        review = local_day(review_on, "datum van herbeoordeling") if review_on.strip() else None
        return service.decide(
            db, breach_id=breach_id, user=viewer.user, kind=kind, value=value == "ja",
            reason=reason, exception=exception or None, review_on=review, client=viewer.client,
        )  # fmt: skip

    form = {"kind": kind, "value": value, "reason": reason, "exception": exception,
            "review_on": review_on}  # fmt: skip
    return _act(request, viewer, breach_id, work, "stap-4", form)


@router.post("/{breach_id}/besluit/{decision_id}/bevestigen")
def breach_confirm(
    request: Request, breach_id: int, decision_id: int, viewer: Fg, note: FormText = ""
) -> Response:
    """The FG confirms the finding that notifying the AP is not needed."""
    return _act(request, viewer, breach_id, lambda db: service.confirm_decision(
        db, breach_id=breach_id, decision_id=decision_id, user=viewer.user, note=note,
        client=viewer.client,
    ), "stap-4")  # fmt: skip


# --- Notification, measures, closing ----------------------------------------------------------


@router.post("/{breach_id}/gemeld")
def breach_notified(
    request: Request, breach_id: int, viewer: Handler, sent_at: FormText,
    ap_reference: FormText = "", delay_reason: FormText = "", note: FormText = "",
) -> Response:  # fmt: skip
    """Step 5: the initial notification was sent through the AP's form."""
    form = {"sent_at": sent_at, "ap_reference": ap_reference, "delay_reason": delay_reason}

    def work(db: Session) -> object:
        sent = local_moment(sent_at, "moment van melden")
        return service.mark_notified(
            db, breach_id=breach_id, user=viewer.user, notified_at=sent,
            delay_reason=delay_reason, ap_reference=ap_reference, note=note,
            content=_draft_json(db, request, viewer, breach_id, "initial"), client=viewer.client,
        )  # fmt: skip

    return _act(request, viewer, breach_id, work, "stap-5", form)


@router.post("/{breach_id}/aanvulling")
def breach_addition(
    request: Request, breach_id: int, viewer: Handler, sent_at: FormText, note: FormText,
    ap_reference: FormText = "",
) -> Response:  # fmt: skip
    """Step 5: an addition to the notification (Art. 33(4))."""
    form = {"addition_sent_at": sent_at, "addition_note": note}

    def work(db: Session) -> object:
        sent = local_moment(sent_at, "moment van de aanvulling")
        return service.add_addition(
            db, breach_id=breach_id, user=viewer.user, sent_at=sent, note=note,
            ap_reference=ap_reference or None,
            content=_draft_json(db, request, viewer, breach_id, "addition"), client=viewer.client,
        )  # fmt: skip

    return _act(request, viewer, breach_id, work, "stap-5", form)


def _draft_json(
    db: Session, request: Request, viewer: Viewer, breach_id: int, phase: str
) -> dict[str, Any]:
    """The AP draft as it is sent, kept with the notice: the register can show exactly what
    the AP was told, whatever the dossier says later."""
    return _draft(db, request, viewer, breach_id, phase).as_json()


def _draft(
    db: Session, request: Request, viewer: Viewer, breach_id: int, phase: str = "initial"
) -> ApDraft:
    breach = service.get_breach(db, breach_id=breach_id, user=viewer.user)
    return build_draft(
        breach, organisation=context(request).settings.organisation,
        reporter_name=viewer.user.display_name, phase=phase, now=utc_now(),
        alerts=alert_facts(db, breach),
    )  # fmt: skip


@router.post("/{breach_id}/brieven-verstuurd")
def breach_letters_sent(
    request: Request, breach_id: int, viewer: Handler, count: FormText, sent_on: FormText
) -> Response:
    """Step 6: the letters went out (fills AP form 10.1 and the timeline)."""
    form = {"letters_count": count, "letters_sent_on": sent_on}

    def work(db: Session) -> object:
        if not count.strip().isdigit():
            raise UserError("verstuurde brieven: vul het aantal in als geheel getal")
        return service.record_letters_sent(
            db, breach_id=breach_id, user=viewer.user, count=int(count),
            sent_on=local_day(sent_on, "datum van verzending"), client=viewer.client,
        )  # fmt: skip

    return _act(request, viewer, breach_id, work, "stap-6", form)


@router.post("/{breach_id}/maatregel")
def breach_measure(
    request: Request, breach_id: int, viewer: Handler, kind: FormText, text: FormText,
    taken_on: FormText,
) -> Response:  # fmt: skip
    form = {"measure_kind": kind, "measure_text": text, "taken_on": taken_on}
    return _act(request, viewer, breach_id, lambda db: service.add_measure(
        db, breach_id=breach_id, user=viewer.user, kind=kind, text=text,
        taken_on=local_day(taken_on, "datum van de maatregel"), client=viewer.client,
    ), "stap-7", form)  # fmt: skip


@router.post("/{breach_id}/sluiten")
def breach_close(request: Request, breach_id: int, viewer: Handler, note: FormText) -> Response:
    return _act(request, viewer, breach_id, lambda db: service.close_breach(
        db, breach_id=breach_id, user=viewer.user, note=note, client=viewer.client,
    ), "stap-8", {"closing_note": note})  # fmt: skip

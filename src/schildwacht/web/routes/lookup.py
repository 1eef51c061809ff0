"""The reverse look-up "Wie keek mee?": who opened a person's records before an incident.

The BSN travels only in the POST body, never in a URL, so it stays out of access logs and
browser history. Every look-up is recorded in the audit trail, once, with the signed-in user
as actor and the client's address.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from schildwacht.app.audit.service import append
from schildwacht.app.auth.roles import Permission
from schildwacht.app.evidence import EXPLANATION_TEXT_EN, citizen_names
from schildwacht.contract import bsn_is_valid
from schildwacht.detect.explanation import EXPLANATION_TEXT_NL
from schildwacht.detect.lookups import LookupResult, find_accesses
from schildwacht.web.deps import Viewer, context, page
from schildwacht.web.i18n import translations
from schildwacht.web.rendering import AMSTERDAM, N_, render

router = APIRouter(prefix="/inzage")
Searcher = Annotated[Viewer, Depends(page(Permission.lookup))]
MAX_DAYS = 730
RELATIONS = {"partner": N_("partner"), "ex_partner": N_("ex-partner"), "parent": N_("ouder"),
             "child": N_("kind")}  # fmt: skip
WHY = {"slachtoffer": N_("slachtoffer"), "huisgenoot": N_("huisgenoot"),
       "zoekterm": N_("zoekterm")}  # fmt: skip
ROW_FIELDS = ("occurred_at", "source_system", "action", "subject_bsn", "why_included",
              "explained", "explanation", "service_account")  # fmt: skip


def _form(request: Request, viewer: Viewer, *, status_code: int = 200, **values: Any) -> Response:
    today = datetime.now(AMSTERDAM).date().isoformat()
    defaults: dict[str, Any] = {
        "bsn": "",
        "datum": today,
        "tijd": "",
        "dagen": 30,
        "error": None,
        "field": None,
    }
    return render(request, "lookup/form.html", viewer, status_code=status_code,
                  max_days=MAX_DAYS, **(defaults | values))  # fmt: skip


def _moment(datum: str, tijd: str) -> datetime | None:
    """The incident moment in Dutch time: the time given, or the end of the day given."""
    try:
        day = date.fromisoformat(datum.strip())
        if tijd.strip():
            return datetime.combine(day, time.fromisoformat(tijd.strip()), AMSTERDAM)
    except ValueError:
        return None
    return datetime.combine(day + timedelta(days=1), time(), AMSTERDAM)


def _why(text: str, lang: str) -> str:
    """Why a person is in the look-up, in the reader's language ("relatie (child)": kind)."""
    _ = translations(lang).gettext
    if text.startswith("relatie (") and text.endswith(")"):
        relation = text[len("relatie (") : -1]
        return _("relatie: %(r)s") % {"r": _(RELATIONS.get(relation, relation))}
    return _(WHY.get(text, text))


def _employees(result: LookupResult, explain: dict[str, str], pseudonym: Any) -> list[Any]:
    """Per employee (pseudonym only), most unexplained accesses first."""
    groups = []
    for employee_id, rows in result.by_employee.items():
        shown = [{k: r.get(k) for k in ROW_FIELDS} for r in rows]
        for row in shown:
            row["explanation_text"] = explain.get(row["explanation"] or "", row["explanation"])
        unexplained = sum(not r["explained"] for r in rows)
        first = rows[0]
        groups.append({"pseudonym": pseudonym(employee_id), "department": first["department"],
                       "team": first["team"], "rows": shown,
                       "unexplained": unexplained})  # fmt: skip
    groups.sort(key=lambda g: (-g["unexplained"], -len(g["rows"]), g["pseudonym"]))
    return groups


@router.get("")
def lookup_form(request: Request, viewer: Searcher) -> Response:
    return _form(request, viewer)


@router.post("")
def lookup_run(
    request: Request,
    viewer: Searcher,
    bsn: Annotated[str, Form()] = "",
    datum: Annotated[str, Form()] = "",
    tijd: Annotated[str, Form()] = "",
    dagen: Annotated[str, Form()] = "30",
) -> Response:
    _ = translations(viewer.lang).gettext
    bsn = bsn.strip().replace(" ", "").replace(".", "")
    moment = _moment(datum, tijd)
    days = int(dagen) if dagen.strip().isdigit() else 0
    error, field = None, None
    if not bsn_is_valid(bsn):
        error, field = _("Dit is geen geldig BSN. Een BSN heeft 9 cijfers en voldoet aan de "
                         "elfproef."), "bsn"  # fmt: skip
    elif moment is None:
        error = _("Vul een geldige datum (JJJJ-MM-DD) en eventueel een tijd (UU:MM) in.")
        field = "datum"
    elif not 1 <= days <= MAX_DAYS:
        error = _("Het aantal dagen moet tussen 1 en %(n)s liggen.") % {"n": MAX_DAYS}
        field = "dagen"
    if error or moment is None:
        return _form(request, viewer, status_code=400, bsn=bsn, datum=datum, tijd=tijd,
                     dagen=dagen, error=error, field=field)  # fmt: skip
    ctx = context(request)
    result = find_accesses(ctx.store, bsn, moment, days)
    with ctx.tx() as db:
        append(db, actor=viewer.user.username, action="lookups", target=bsn,
               details={"before": moment.isoformat(), "days": days,
                        "employees_found": len(result.by_employee)},
               client=viewer.client)  # fmt: skip
    explain = EXPLANATION_TEXT_NL if viewer.lang == "nl" else EXPLANATION_TEXT_EN
    wanted = set(result.people) | {r["subject_bsn"] for rows in result.by_employee.values()
                                   for r in rows if r["subject_bsn"]}  # fmt: skip
    return render(
        request, "lookup/result.html", viewer, result=result, moment=moment,
        start=moment - timedelta(days=days), names=citizen_names(ctx.store, wanted),
        whole_day=not tijd.strip(), last_day=moment - timedelta(microseconds=1),
        why=lambda text: _why(text, viewer.lang),
        employees=_employees(result, explain, ctx.pseudonym),
        accesses=sum(len(rows) for rows in result.by_employee.values()),
    )  # fmt: skip

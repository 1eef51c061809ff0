"""Rendering pages: one Jinja2 environment per language, autoescaping everything.

Filters shape what people see: times in Dutch local time, BSNs masked except their last
digits, employee ids as pseudonyms. Templates never receive an employee's name unless a
privacy officer revealed it for that alert.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from schildwacht.app.auth.roles import Permission
from schildwacht.web.deps import Viewer, context
from schildwacht.web.i18n import LANGUAGES, translations

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def N_(message: str) -> str:
    """Marks a message for extraction; it is translated where it is shown."""
    return message


STATUS_LABELS = {"nieuw": N_("nieuw"), "in_onderzoek": N_("in onderzoek"),
                 "afgesloten": N_("afgesloten")}  # fmt: skip
DECISION_LABELS = {"pending": N_("wacht op tweede oordeel"), "confirmed": N_("bevestigd"),
                   "rejected": N_("niet bevestigd"), "withdrawn": N_("ingetrokken")}  # fmt: skip
NOTE_LABELS = {"comment": N_("opmerking"), "status": N_("status"),
               "assignment": N_("toewijzing"), "decision": N_("besluit"),
               "reveal": N_("herleiding")}  # fmt: skip


def mask_bsn(bsn: str | None) -> str:
    """Only the last three digits: enough to tell people apart on screen, not to look them up."""
    if not bsn:
        return ""
    return "•" * max(len(bsn) - 3, 0) + bsn[-3:]


def _when(value: datetime | None, lang: str, fmt: str = "d MMM yyyy HH:mm") -> str:
    if value is None:
        return ""
    return format_datetime(value.astimezone(AMSTERDAM), fmt, locale=lang)


def score_band(score: float) -> str:
    """The colour class of a score: the four-eyes threshold's 70 and above is high."""
    return "hoog" if score >= 70 else ("midden" if score >= 50 else "laag")


@cache
def environment(lang: str) -> Environment:
    env = Environment(
        loader=PackageLoader("schildwacht.web", "templates"),
        autoescape=select_autoescape(["html", "xml", "svg"], default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.filters["when"] = lambda value, fmt="d MMM yyyy HH:mm": _when(value, lang, fmt)
    gettext = translations(lang).gettext
    env.filters["bsn"] = mask_bsn
    env.filters["status"] = lambda s: gettext(STATUS_LABELS.get(s, s or ""))
    env.filters["decision"] = lambda s: gettext(DECISION_LABELS.get(s, s or ""))
    env.filters["note_kind"] = lambda s: gettext(NOTE_LABELS.get(s, s or ""))
    env.filters["score"] = lambda value: f"{value:.0f}"
    env.filters["score_band"] = score_band
    env.globals["Permission"] = Permission
    env.globals["languages"] = LANGUAGES
    return env


def render(
    request: Request,
    template: str,
    viewer: Viewer | None = None,
    *,
    status_code: int = 200,
    lang: str | None = None,
    **values: Any,
) -> HTMLResponse:
    """The page ``template`` for ``viewer`` (None on the sign-in page) in their language."""
    chosen = lang or (viewer.lang if viewer else "nl")
    ctx = context(request)
    page = environment(chosen).get_template(template)
    body = page.render(
        request=request,
        viewer=viewer,
        user=viewer.user if viewer else None,
        csrf_token=viewer.csrf_token if viewer else "",
        lang=chosen,
        pseudonym=ctx.pseudonym,
        **values,
    )
    return HTMLResponse(body, status_code=status_code)

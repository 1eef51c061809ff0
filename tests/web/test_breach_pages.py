"""The breach pages: from confirmed misuse in the simulated town to a notified, closed
dossier, through the forms a privacy officer and the FG use; roles, refusals and the clock.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta

import httpx
import pytest
from fastapi.testclient import TestClient

from schildwacht.app.auth.service import find_user
from schildwacht.app.base import utc_now
from schildwacht.app.breaches.deadline import AMSTERDAM
from schildwacht.app.breaches.guidance import WHY_A_BREACH
from schildwacht.app.breaches.service import open_by_hand
from schildwacht.app.dossiers.service import create_dossier
from schildwacht.app.triage.service import confirm_decision, propose_close
from schildwacht.config import TriageSettings
from schildwacht.web.context import WebContext
from tests.web.conftest import csrf_of
from tests.web.helpers import audit_actions, top_alert

Clients = Callable[..., TestClient]


def _local(moment: datetime) -> str:
    return moment.astimezone(AMSTERDAM).strftime("%Y-%m-%dT%H:%M")


def _confirmed_dossier(ctx: WebContext) -> int:
    """The town's top alert closed as confirmed misuse by two officers, in a dossier."""
    alert = top_alert(ctx)
    with ctx.tx() as db:
        po1, po2 = find_user(db, username="po1"), find_user(db, username="po2")
        assert po1 is not None and po2 is not None
        decision = propose_close(db, alert_id=alert.alert_id, user=po1,
                                 resolution="misbruik_bevestigd", note="Geen werkreden.",
                                 rules=TriageSettings())  # fmt: skip
        confirm_decision(db, decision_id=decision.decision_id, user=po2)
        dossier = create_dossier(db, user=po1, title="Adressen opgezocht",
                                 alert_ids=[alert.alert_id])  # fmt: skip
    return dossier.dossier_id


def _post(client: TestClient, path: str, page: str, **data: str) -> httpx.Response:
    return client.post(path, data={"csrf_token": csrf_of(page), **data}, follow_redirects=False)


@pytest.fixture
def team(app_client: Clients) -> dict[str, TestClient]:
    return {
        "po1": app_client("po1", "privacy_officer"),
        "po2": app_client("po2", "privacy_officer"),
        "fg": app_client("fenna", "fg"),
    }


def test_confirmed_misuse_becomes_a_notified_closed_breach(
    team: dict[str, TestClient], web_ctx: WebContext
) -> None:
    po1 = team["po1"]
    dossier_id = _confirmed_dossier(web_ctx)
    aware = utc_now() - timedelta(hours=30)
    page = po1.get(f"/dossiers/{dossier_id}").text
    assert "Datalek openen" in page
    assert f"<title>Dossier #{dossier_id} · Schildwacht</title>" in page  # the form is not in it
    opened = _post(po1, f"/datalekken/uit-dossier/{dossier_id}", page, aware_at=_local(aware),
                   note="Tweede privacy officer bevestigde het misbruik.")  # fmt: skip
    assert opened.status_code == 303
    url = opened.headers["location"]
    breach_page = po1.get(url).text
    assert WHY_A_BREACH[0] in breach_page  # step 1 says why a look-up is a breach
    assert 'data-klok="within_48h"' in breach_page  # 30 of 72 hours gone: 42 left
    people = re.search(r'data-veld="people">(\d+)<', breach_page)
    assert people and int(people.group(1)) >= 1  # counted from the evidence events
    assert "Let op: samengevat uit de meldingen" not in breach_page

    changed_dpc = _post(po1, f"{url}/ernst", breach_page, context="simple", context_score="3",
                        dpc_reason="", identification="maximum", confidentiality="known",
                        integrity="none", availability="none", malicious="nee",
                        reason="Adres opgezocht.")  # fmt: skip
    assert changed_dpc.status_code == 400  # a changed DPC without its reason
    assert _post(po1, f"{url}/ernst", breach_page, context="simple", context_score="4",
                 dpc_reason="Adres doorgespeeld aan criminelen.", identification="maximum",
                 confidentiality="unknown", integrity="none", availability="none",
                 malicious="ja", reason="Adres verkocht.").status_code == 303  # fmt: skip
    assessed = po1.get(url).text
    assert "Vastgelegde ernst: 5.0 (zeer hoog)" in assessed

    sent = utc_now() - timedelta(hours=1)
    assert _post(po1, f"{url}/gemeld", assessed, sent_at=_local(sent),
                 ap_reference="AP-123").status_code == 303  # fmt: skip
    notified = po1.get(url).text
    assert 'data-klok="gestopt"' in notified and "binnen de termijn" in notified
    assert _post(po1, f"{url}/aanvulling", notified, sent_at=_local(utc_now()),
                 note="Aantal betrokkenen aangevuld.").status_code == 303  # fmt: skip
    refused = _post(po1, f"{url}/sluiten", notified, note="Klaar.")
    assert refused.status_code == 400  # high risk: the people's question is open
    assert _post(po1, f"{url}/besluit", notified, kind="inform_subjects", value="ja",
                 reason="Hoog risico: brief aan elke betrokkene.").status_code == 303  # fmt: skip
    today = datetime.now(AMSTERDAM).date().isoformat()
    assert _post(po1, f"{url}/maatregel", notified, kind="end", text="Account geblokkeerd.",
                 taken_on=today).status_code == 303  # fmt: skip
    assert _post(po1, f"{url}/sluiten", notified, note="Gemeld, brieven, account geblokkeerd."
                 ).status_code == 303  # fmt: skip
    closed = po1.get(url).text
    assert "Gesloten op" in closed and "eerste melding" in closed and "aanvulling" in closed
    assert "Melding vastleggen" not in closed  # read-only
    target = url.replace("/datalekken/", "breach:")
    acts = [r.action for r in audit_actions(web_ctx) if r.target == target]
    assert acts.count("breach_opened") == 1 and acts.count("breach_closed") == 1
    assert "view_breach" in acts


def test_not_notifying_waits_for_the_fg_and_only_the_fg_confirms(
    team: dict[str, TestClient], web_ctx: WebContext
) -> None:
    po1, po2, fg = team["po1"], team["po2"], team["fg"]
    page = po1.get("/datalekken").text
    opened = _post(po1, "/datalekken", page, origin="manager", title="Tikfout direct gemeld",
                   aware_at=_local(utc_now() - timedelta(hours=2)),
                   note="Collega meldde het zelf.")  # fmt: skip
    url = opened.headers["location"]
    detail = po1.get(url).text
    finding = "Eén raadpleging, direct gemeld: geen risico."
    assert _post(po1, f"{url}/besluit", detail, kind="notify_ap", value="nee",
                 reason=finding).status_code == 303  # fmt: skip
    pending = po1.get(url).text
    assert "wacht op bevestiging door de FG" in pending
    assert "Bevestigen als FG" not in pending  # a privacy officer is not the FG
    decision = re.search(r"/besluit/(\d+)/bevestigen", fg.get(url).text)
    assert decision is not None
    confirm = f"{url}/besluit/{decision.group(1)}/bevestigen"
    assert _post(po2, confirm, po2.get(url).text).status_code == 403
    assert _post(fg, confirm, fg.get(url).text, note="Akkoord.").status_code == 303
    assert 'data-klok="gestopt"' in po1.get(url).text
    assert "Besloten niet te melden" in po1.get(url).text


def test_the_dashboard_warns_at_24_and_4_hours_and_past_the_deadline(
    team: dict[str, TestClient], web_ctx: WebContext
) -> None:
    now = utc_now()
    with web_ctx.tx() as db:
        po1 = find_user(db, username="po1")
        assert po1 is not None
        for hours, title in ((50, "Vierentwintig"), (69, "Vier"), (80, "Verlopen"), (2, "Ruim")):
            open_by_hand(db, origin="manager", title=title, user=po1,
                         aware_at=now - timedelta(hours=hours), note="Melding.")  # fmt: skip
    page = team["fg"].get("/datalekken").text
    levels = dict(re.findall(r'>(\w+)</a></td>(?:.|\n)*?data-klok="(\w+)"', page))
    assert levels == {"Vierentwintig": "within_24h", "Vier": "within_4h",
                      "Verlopen": "overdue", "Ruim": "none"}  # fmt: skip
    assert "3 datalekken vragen nu aandacht" in page
    assert page.index("Verlopen") < page.index("Vier<") < page.index("Ruim")


def test_late_notification_needs_a_reason(team: dict[str, TestClient]) -> None:
    po1 = team["po1"]
    page = po1.get("/datalekken").text
    opened = _post(po1, "/datalekken", page, origin="tip_citizen", title="Klacht inwoner",
                   aware_at=_local(utc_now() - timedelta(hours=80)),
                   note="Brief ontvangen.")  # fmt: skip
    url = opened.headers["location"]
    detail = po1.get(url).text
    late = _post(po1, f"{url}/gemeld", detail, sent_at=_local(utc_now()))
    assert late.status_code == 400 and "reden van de vertraging" in late.text
    assert _post(po1, f"{url}/gemeld", detail, sent_at=_local(utc_now()),
                 delay_reason="Klacht lag in het weekend.").status_code == 303  # fmt: skip
    assert "na de termijn" in po1.get(url).text


def test_roles_read_and_act_as_the_permission_table_says(
    app_client: Clients, team: dict[str, TestClient]
) -> None:
    for name, role in (("ana", "analist"), ("bea", "beheerder"), ("aud", "auditor")):
        assert app_client(name, role).get("/datalekken").status_code == 403
    fg = team["fg"]
    assert fg.get("/datalekken").status_code == 200
    page = fg.get("/datalekken").text
    assert "Datalek openen" not in page  # the FG reads, does not handle
    refused = _post(fg, "/datalekken", page, origin="manager", title="x",
                    aware_at=_local(utc_now()), note="x")  # fmt: skip
    assert refused.status_code == 403


def test_people_affected_can_be_entered_by_hand_for_a_tip(team: dict[str, TestClient]) -> None:
    po1 = team["po1"]
    opened = _post(po1, "/datalekken", po1.get("/datalekken").text, origin="rijksrecherche",
                   title="Adressen doorgespeeld", aware_at=_local(utc_now()),
                   note="Proces-verbaal.")  # fmt: skip
    url = opened.headers["location"]
    page = po1.get(url).text
    assert 'data-veld="people">0<' in page and "Getroffen personen met de hand" in page
    wrong = _post(po1, f"{url}/getroffenen", page, people="3", records="2", minors="0",
                  confidential="0")  # fmt: skip
    assert wrong.status_code == 400 and "ten minste één keer" in wrong.text
    data = {"people": "3", "records": "7", "minors": "1", "confidential": "1",
            "data_categories": ["adres", "gezondheid"], "watchlist": "protected"}  # fmt: skip
    saved = po1.post(f"{url}/getroffenen", data={"csrf_token": csrf_of(page), **data},
                     follow_redirects=False)  # fmt: skip
    assert saved.status_code == 303
    after = po1.get(url).text
    for field, value in (("people", 3), ("records", 7), ("minors", 1), ("confidential", 1)):
        assert f'data-veld="{field}">{value}<' in after
    draft = po1.get(f"{url}/ap-melding.json").json()
    assert draft["fields"]["people.count"].startswith("3")

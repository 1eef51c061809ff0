"""The queue and the alert page: pseudonyms, masked BSNs, reveal, workflow with four-eyes."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient

from schildwacht.app.alerts.service import get_alert, list_alerts
from schildwacht.app.triage import service as triage
from schildwacht.web.context import WebContext
from tests.web.conftest import csrf_of
from tests.web.helpers import audit_actions, employee_surname, top_alert


def test_queue_is_ordered_by_score_and_filters(
    web_ctx: WebContext, app_client: Callable[..., TestClient]
) -> None:
    client = app_client("rij", "analist")
    page = client.get("/meldingen").text
    scores = [int(s) for s in re.findall(r'sw-score--\w+">(\d+)<', page)]
    assert scores and scores == sorted(scores, reverse=True)
    alert = top_alert(web_ctx)
    scenario = alert.scenarios[0]
    filtered = client.get(f"/meldingen?scenario={scenario}&status=nieuw").text
    assert f"/meldingen/{alert.alert_id}" in filtered
    closed = client.get("/meldingen?status=afgesloten").text
    assert "Geen meldingen die aan de filters voldoen" in closed
    rows_only = client.get("/meldingen", headers={"HX-Request": "true"}).text
    assert "<html" not in rows_only and "/meldingen/" in rows_only


def test_analyst_sees_pseudonyms_and_masked_bsns_only(
    web_ctx: WebContext, app_client: Callable[..., TestClient]
) -> None:
    client = app_client("analist1", "analist")
    alert = top_alert(web_ctx)
    page = client.get(f"/meldingen/{alert.alert_id}").text
    assert web_ctx.pseudonym(alert.employee_id) in page
    assert alert.employee_id not in page
    assert employee_surname(web_ctx, alert.employee_id) not in page
    for bsn in alert.subject_bsns:
        assert bsn not in page and bsn[-3:] in page
    assert "Waarom deze melding" in page and alert.reasons[0].text_nl in page
    assert 'action="/meldingen/' + alert.alert_id + '/herleiden"' not in page
    token = csrf_of(page)
    refused = client.post(f"/meldingen/{alert.alert_id}/herleiden",
                          data={"justification": "Ik wil het gewoon graag weten, echt waar.",
                                "csrf_token": token})  # fmt: skip
    assert refused.status_code == 403
    assert employee_surname(web_ctx, alert.employee_id) not in refused.text
    assert audit_actions(web_ctx, "reveal") == []
    (denied,) = audit_actions(web_ctx, "access_denied")
    assert denied.actor == "analist1" and denied.target.endswith("/herleiden")
    assert denied.details == {"permission": "reveal"}
    views = audit_actions(web_ctx, "view_alert")
    assert [(v.actor, v.target) for v in views] == [("analist1", f"alert:{alert.alert_id}")]


def test_privacy_officer_reveals_with_a_justification(
    web_ctx: WebContext, app_client: Callable[..., TestClient]
) -> None:
    client = app_client("po1", "privacy_officer")
    alert = top_alert(web_ctx)
    url = f"/meldingen/{alert.alert_id}"
    token = csrf_of(client.get(url).text)
    short = client.post(f"{url}/herleiden", data={"justification": "moet", "csrf_token": token})
    assert short.status_code == 400 and "minstens 20 tekens" in short.text
    why = "Gesprek met leidinggevende voorbereiden; zaak 2026-114 gecontroleerd."
    client.post(f"{url}/herleiden", data={"justification": why, "csrf_token": token},
                follow_redirects=False)  # fmt: skip
    page = client.get(url).text
    assert employee_surname(web_ctx, alert.employee_id) in page
    assert why in page  # the reveal and its reason are shown on the alert
    (entry,) = audit_actions(web_ctx, "reveal")
    assert entry.actor == "po1" and entry.details["justification"] == why
    other = app_client("po2", "privacy_officer").get(url).text
    assert employee_surname(web_ctx, alert.employee_id) not in other  # per officer, per alert


def test_confirmed_misuse_needs_a_second_privacy_officer(
    web_ctx: WebContext, app_client: Callable[..., TestClient]
) -> None:
    first, second = app_client("eerste", "privacy_officer"), app_client("tweede", "privacy_officer")
    alert = top_alert(web_ctx)
    url = f"/meldingen/{alert.alert_id}"
    token = csrf_of(first.get(url).text)
    first.post(f"{url}/onderzoek", data={"csrf_token": token}, follow_redirects=False)
    no_note = first.post(f"{url}/afsluiten", data={"resolution": "misbruik_bevestigd",
                                                   "note": " ", "csrf_token": token})  # fmt: skip
    assert no_note.status_code == 400
    first.post(f"{url}/afsluiten", data={"resolution": "misbruik_bevestigd",
                                         "note": "Bekende van medewerker, geen zaak.",
                                         "csrf_token": token}, follow_redirects=False)  # fmt: skip
    page = first.get(url).text
    assert "vier-ogenprincipe" in page.lower() and "Besluit bevestigen" not in page
    with web_ctx.tx() as db:
        assert (a := get_alert(db, alert_id=alert.alert_id)) and a.status == "in_onderzoek"
    decision = re.search(r"/besluit/(\d+)/bevestigen", second.get(url).text)
    assert decision, "the second privacy officer is offered the confirmation"
    own = first.post(f"{url}/besluit/{decision.group(1)}/bevestigen",
                     data={"note": "", "csrf_token": token})  # fmt: skip
    assert own.status_code == 403
    token2 = csrf_of(second.get(url).text)
    second.post(f"{url}/besluit/{decision.group(1)}/bevestigen",
                data={"note": "Eens.", "csrf_token": token2}, follow_redirects=False)  # fmt: skip
    with web_ctx.tx() as db:
        assert (a := get_alert(db, alert_id=alert.alert_id)) and a.status == "afgesloten"
    actions = [e.action for e in audit_actions(web_ctx) if e.target == f"alert:{alert.alert_id}"]
    assert "decision_proposed" in actions and "decision_confirmed" in actions


def test_roles_decide_what_can_be_done(
    web_ctx: WebContext, app_client: Callable[..., TestClient]
) -> None:
    alert = top_alert(web_ctx)
    url = f"/meldingen/{alert.alert_id}"
    analyst = app_client("a2", "analist")
    token = csrf_of(analyst.get(url).text)
    close = analyst.post(f"{url}/afsluiten", data={"resolution": "legitiem_overig", "note": "x",
                                                   "csrf_token": token})  # fmt: skip
    assert close.status_code == 403
    assert analyst.post(f"{url}/onderzoek", data={"csrf_token": token},
                        follow_redirects=False).status_code == 303  # fmt: skip
    admin = app_client("beheer1", "beheerder")
    assert admin.get("/meldingen").status_code == 403
    assert admin.get(url).status_code == 403
    auditor = app_client("audit1", "auditor")
    assert auditor.get(url).status_code == 403


def test_unknown_alert_is_a_404_page(app_client: Callable[..., TestClient]) -> None:
    response = app_client("zoek", "analist").get("/meldingen/A-bestaat-niet")
    assert response.status_code == 404 and "Niet gevonden" in response.text


def test_a_decision_cannot_be_confirmed_through_another_alert(
    web_ctx: WebContext, app_client: Callable[..., TestClient]
) -> None:
    first, second = app_client("p1", "privacy_officer"), app_client("p2", "privacy_officer")
    alert = top_alert(web_ctx)
    url = f"/meldingen/{alert.alert_id}"
    token = csrf_of(first.get("/meldingen").text)
    first.post(f"{url}/afsluiten", data={"resolution": "misbruik_bevestigd", "note": "Mis.",
                                         "csrf_token": token}, follow_redirects=False)  # fmt: skip
    with web_ctx.tx() as db:
        (decision,) = triage.decisions(db, alert_id=alert.alert_id)
        other = next(a for a in list_alerts(db) if a.alert_id != alert.alert_id)
    token2 = csrf_of(second.get("/meldingen").text)
    wrong = second.post(f"/meldingen/{other.alert_id}/besluit/{decision.decision_id}/bevestigen",
                        data={"csrf_token": token2}, follow_redirects=False)  # fmt: skip
    assert wrong.status_code == 404
    with web_ctx.tx() as db:
        assert triage.pending_decision(db, alert_id=alert.alert_id) is not None

"""The reverse look-up page: BSN only in the POST body, pseudonyms, masked BSN, audited once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pyarrow.parquet as pq
import sqlalchemy as sa
from fastapi.testclient import TestClient

from schildwacht.app.alerts.models import AlertRecord
from schildwacht.app.audit.models import AuditRecord
from schildwacht.app.evidence import citizen_names
from schildwacht.app.evidence.service import display_name
from schildwacht.detect.lookups import find_accesses
from schildwacht.web.context import WebContext
from schildwacht.web.rendering import AMSTERDAM, mask_bsn
from tests.web.conftest import csrf_of

Client = Callable[..., TestClient]
INCIDENT = "2026-03-23"  # the day after the town's three weeks


def lookups_audited(ctx: WebContext) -> list[AuditRecord]:
    with ctx.tx() as db:
        rows = db.execute(sa.select(AuditRecord).where(AuditRecord.action == "lookups"))
        return list(rows.scalars())


def subject_with_accesses(ctx: WebContext) -> str:
    """The BSN of the subject of the highest-scoring alert about one person."""
    with ctx.tx() as db:
        for (bsns,) in db.execute(
            sa.select(AlertRecord.subject_bsns).order_by(AlertRecord.score.desc())
        ):
            if bsns:
                return str(bsns[0])
    raise AssertionError("the town has no alert about a person")


def employee_names(ctx: WebContext) -> dict[str, str]:
    table = pq.read_table(next(str(p) for p in ctx.store.files("employees")))
    names = {}
    for row in table.to_pylist():
        names[row["employee_id"]] = display_name(
            row.get("given_name"), row.get("surname_prefix"), row.get("surname")
        )
    return names


def test_only_those_with_the_lookup_right_may_use_it(app_client: Client) -> None:
    anonymous = app_client()
    response = anonymous.get("/inzage", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/inloggen")
    assert app_client("beheer1", "beheerder").get("/inzage").status_code == 403
    form = app_client("analist1", "analist").get("/inzage")
    assert form.status_code == 200
    assert 'method="post" action="/inzage"' in form.text and 'name="bsn"' in form.text


def test_an_invalid_bsn_is_refused_on_the_form(app_client: Client, web_ctx: WebContext) -> None:
    client = app_client("analist2", "analist")
    token = csrf_of(client.get("/inzage").text)
    response = client.post("/inzage", data={"bsn": "123456789", "datum": INCIDENT,
                                             "dagen": "30", "csrf_token": token})  # fmt: skip
    assert response.status_code == 400
    assert "geen geldig BSN" in response.text
    assert lookups_audited(web_ctx) == []
    no_token = client.post("/inzage", data={"bsn": "123456782", "datum": INCIDENT})
    assert no_token.status_code == 403


def test_the_lookup_shows_pseudonyms_and_a_masked_bsn_and_is_audited_once(
    app_client: Client, web_ctx: WebContext
) -> None:
    bsn = subject_with_accesses(web_ctx)
    client = app_client("po1", "privacy_officer")
    token = csrf_of(client.get("/inzage").text)
    response = client.post("/inzage", data={"bsn": bsn, "datum": INCIDENT, "dagen": "30",
                                             "csrf_token": token})  # fmt: skip
    assert response.status_code == 200
    assert bsn not in str(response.url)
    html = response.text

    before = datetime(2026, 3, 24, tzinfo=AMSTERDAM)  # the end of the incident day
    expected = find_accesses(web_ctx.store, bsn, before, 30)
    assert expected.by_employee, "the subject of an alert was looked at"
    for employee_id in expected.by_employee:
        assert web_ctx.pseudonym(employee_id) in html
        assert employee_id not in html
    shown_citizens = set(citizen_names(web_ctx.store, expected.people).values())
    names = employee_names(web_ctx)
    checked = [names[e] for e in expected.by_employee if names[e] not in shown_citizens]
    assert checked
    for name in checked:
        assert name not in html

    assert bsn not in html
    assert mask_bsn(bsn) in html
    assert citizen_names(web_ctx.store, [bsn])[bsn] in html
    assert "niet verklaard" in html or "verklaard" in html

    (entry,) = lookups_audited(web_ctx)
    assert entry.actor == "po1" and entry.client == "testclient" and entry.target == bsn
    assert entry.details["days"] == 30
    assert entry.details["employees_found"] == len(expected.by_employee)

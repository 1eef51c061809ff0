"""Dossiers: alerts about one employee investigated together; every change is audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from schildwacht.app.dossiers.models import DossierRecord, DossierStatus
from schildwacht.app.dossiers.service import (
    add_alert,
    create_dossier,
    dossiers_of_alert,
    get_dossier,
    list_dossiers,
)
from schildwacht.errors import Conflict, NotFound, PermissionDenied, UserError
from tests.app.conftest import T0
from tests.app.factories import (
    assert_audit_intact,
    audit_actions,
    audit_entries,
    fresh_database,
    make_alert,
    make_user,
)

LATER = T0 + timedelta(days=1)


@pytest.fixture
def sessions() -> sessionmaker[Session]:
    """A fresh migrated in-memory database (overrides the file-based one of conftest.py)."""
    return fresh_database()


def test_dossier_joins_alerts_about_one_employee(session: Session) -> None:
    ana = make_user(session, "ana", "analist")
    a1 = make_alert(session, "a-1", employee_id="e00007")
    a2 = make_alert(session, "a-2", employee_id="e00007")
    dossier = create_dossier(
        session, user=ana, title="  Raadplegingen familie  ", alert_ids=[a2, a1, a2],
        description=" Drie meldingen in maart. ", client="10.0.0.7", now=T0,
    )  # fmt: skip
    assert dossier.employee_id == "e00007"
    assert dossier.title == "Raadplegingen familie"
    assert dossier.description == "Drie meldingen in maart."
    assert dossier.status == DossierStatus.open
    assert (dossier.created_by, dossier.created_at, dossier.updated_at) == (ana.user_id, T0, T0)
    assert set(dossier.alert_ids) == {"a-1", "a-2"} and len(dossier.alert_ids) == 2
    assert get_dossier(session, dossier_id=dossier.dossier_id, user=ana) == dossier
    assert dossiers_of_alert(session, alert_id="a-1") == [dossier.dossier_id]

    (entry,) = audit_entries(session)
    assert (entry.actor, entry.action, entry.target) == (
        "ana",
        "dossier_created",
        f"dossier:{dossier.dossier_id}",
    )
    assert entry.details == {"alerts": ["a-1", "a-2"]}
    assert entry.client == "10.0.0.7"


def test_dossier_refuses_alerts_about_different_employees(session: Session) -> None:
    ana = make_user(session, "ana", "analist")
    a1 = make_alert(session, "a-1", employee_id="e00007")
    a2 = make_alert(session, "a-2", employee_id="e00008")
    with pytest.raises(UserError, match="één medewerker"):
        create_dossier(session, user=ana, title="Gemengd", alert_ids=[a1, a2])
    assert list_dossiers(session, user=ana) == []
    assert audit_entries(session) == []


def test_dossier_needs_a_title_and_existing_alerts(session: Session) -> None:
    ana = make_user(session, "ana", "analist")
    a1 = make_alert(session, "a-1")
    with pytest.raises(UserError, match="titel"):
        create_dossier(session, user=ana, title="   ", alert_ids=[a1])
    with pytest.raises(UserError, match="minstens één melding"):
        create_dossier(session, user=ana, title="Leeg", alert_ids=[])
    with pytest.raises(NotFound, match="a-404"):
        create_dossier(session, user=ana, title="Onbekend", alert_ids=[a1, "a-404"])
    assert list_dossiers(session, user=ana) == []
    assert audit_entries(session) == []


def test_adding_an_alert_of_the_same_employee(session: Session) -> None:
    ana = make_user(session, "ana", "analist")
    piet = make_user(session, "piet", "privacy_officer")
    a1 = make_alert(session, "a-1", employee_id="e00007")
    a2 = make_alert(session, "a-2", employee_id="e00007")
    dossier = create_dossier(session, user=ana, title="Familie", alert_ids=[a1], now=T0)

    grown = add_alert(session, user=piet, dossier_id=dossier.dossier_id, alert_id=a2, now=LATER)
    assert grown.alert_ids == ("a-1", "a-2")
    assert grown.updated_at == LATER and grown.created_at == T0
    assert dossiers_of_alert(session, alert_id="a-2") == [dossier.dossier_id]

    # adding it again changes nothing and records nothing
    again = add_alert(session, user=piet, dossier_id=dossier.dossier_id, alert_id=a2)
    assert again == grown
    assert audit_actions(session) == [
        ("ana", "dossier_created", f"dossier:{dossier.dossier_id}"),
        ("piet", "dossier_alert_added", f"dossier:{dossier.dossier_id}"),
    ]
    assert audit_entries(session)[1].details == {"alert": "a-2"}
    assert_audit_intact(session, entries=2)


def test_adding_an_alert_of_another_employee_is_refused(session: Session) -> None:
    ana = make_user(session, "ana", "analist")
    a1 = make_alert(session, "a-1", employee_id="e00007")
    a2 = make_alert(session, "a-2", employee_id="e00008")
    dossier = create_dossier(session, user=ana, title="Familie", alert_ids=[a1])
    with pytest.raises(UserError, match="andere medewerker"):
        add_alert(session, user=ana, dossier_id=dossier.dossier_id, alert_id=a2)
    assert get_dossier(session, dossier_id=dossier.dossier_id, user=ana).alert_ids == ("a-1",)
    assert dossiers_of_alert(session, alert_id="a-2") == []
    assert len(audit_entries(session)) == 1


def test_adding_to_a_missing_or_closed_dossier(session: Session) -> None:
    ana = make_user(session, "ana", "analist")
    a1 = make_alert(session, "a-1")
    a2 = make_alert(session, "a-2")
    with pytest.raises(NotFound, match="dossier 404"):
        add_alert(session, user=ana, dossier_id=404, alert_id=a1)
    dossier = create_dossier(session, user=ana, title="Familie", alert_ids=[a1])
    with pytest.raises(NotFound, match="a-404"):
        add_alert(session, user=ana, dossier_id=dossier.dossier_id, alert_id="a-404")
    row = session.get(DossierRecord, dossier.dossier_id)
    assert row is not None
    row.status = DossierStatus.gesloten.value
    with pytest.raises(Conflict, match="gesloten"):
        add_alert(session, user=ana, dossier_id=dossier.dossier_id, alert_id=a2)
    with pytest.raises(NotFound, match="dossier 404"):
        get_dossier(session, dossier_id=404, user=ana)


def test_an_alert_may_belong_to_several_dossiers(session: Session) -> None:
    ana = make_user(session, "ana", "analist")
    a1 = make_alert(session, "a-1")
    first = create_dossier(session, user=ana, title="Eerste", alert_ids=[a1])
    second = create_dossier(session, user=ana, title="Tweede", alert_ids=[a1])
    assert sorted(dossiers_of_alert(session, alert_id=a1)) == sorted(
        [first.dossier_id, second.dossier_id]
    )


@pytest.mark.parametrize("roles", [("beheerder",), ("auditor",)])
def test_beheerder_and_auditor_cannot_see_or_make_dossiers(
    session: Session, roles: tuple[str, ...]
) -> None:
    ana = make_user(session, "ana", "analist")
    outsider = make_user(session, "buiten", *roles)
    a1 = make_alert(session, "a-1")
    a2 = make_alert(session, "a-2")
    dossier = create_dossier(session, user=ana, title="Familie", alert_ids=[a1])
    with pytest.raises(PermissionDenied):
        create_dossier(session, user=outsider, title="Mijn dossier", alert_ids=[a2])
    with pytest.raises(PermissionDenied):
        add_alert(session, user=outsider, dossier_id=dossier.dossier_id, alert_id=a2)
    with pytest.raises(PermissionDenied):
        get_dossier(session, dossier_id=dossier.dossier_id, user=outsider)
    with pytest.raises(PermissionDenied):
        list_dossiers(session, user=outsider)
    assert len(audit_entries(session)) == 1


def test_list_shows_newest_activity_first_with_its_alerts(session: Session) -> None:
    ana = make_user(session, "ana", "analist")
    a1 = make_alert(session, "a-1", employee_id="e00007")
    a2 = make_alert(session, "a-2", employee_id="e00008")
    a3 = make_alert(session, "a-3", employee_id="e00007")
    old = create_dossier(session, user=ana, title="Oud", alert_ids=[a1], now=T0)
    new = create_dossier(session, user=ana, title="Nieuw", alert_ids=[a2], now=LATER)
    assert [d.title for d in list_dossiers(session, user=ana)] == ["Nieuw", "Oud"]

    add_alert(
        session, user=ana, dossier_id=old.dossier_id, alert_id=a3, now=LATER + timedelta(days=1)
    )
    listed = list_dossiers(session, user=ana)
    assert [d.dossier_id for d in listed] == [old.dossier_id, new.dossier_id]
    # the listed dossiers say which alerts they hold, like a dossier fetched on its own
    assert listed == [
        get_dossier(session, dossier_id=old.dossier_id, user=ana),
        get_dossier(session, dossier_id=new.dossier_id, user=ana),
    ]
    assert listed[0].alert_ids == ("a-1", "a-3")

    (only,) = list_dossiers(session, user=ana, employee_id="e00008")
    assert only.dossier_id == new.dossier_id
    assert list_dossiers(session, user=ana, employee_id="e99999") == []

"""Staff pseudonyms (keyed HMAC, key file made once) and the justified, audited reveal."""

from __future__ import annotations

import base64
import re
import stat
import threading
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from schildwacht.app.people.pseudonyms import (
    KEY_BYTES,
    KEY_FILE_ENV,
    Pseudonymiser,
    key_path,
    load_or_create_key,
)
from schildwacht.app.people.service import (
    MIN_JUSTIFICATION,
    has_revealed,
    reveal_employee,
    reveals_of,
)
from schildwacht.errors import NotFound, PermissionDenied, UserError
from tests.app.conftest import T0
from tests.app.factories import (
    assert_audit_intact,
    audit_actions,
    audit_entries,
    fresh_database,
    make_alert,
    make_user,
)

PSEUDONYM = re.compile(r"^MW-[A-Z2-7]{4}-[A-Z2-7]{4}$")
KEY_A = b"a" * KEY_BYTES
KEY_B = b"b" * KEY_BYTES
WHY = "Misbruik lijkt bevestigd; gesprek met leidinggevende nodig."


# --- pseudonyms ---------------------------------------------------------------------------------


@pytest.fixture
def sessions() -> sessionmaker[Session]:
    """A fresh migrated in-memory database (overrides the file-based one of conftest.py)."""
    return fresh_database()


def test_pseudonyms_are_stable_for_the_same_key() -> None:
    first, second = Pseudonymiser(KEY_A), Pseudonymiser(KEY_A)
    assert first("e00001") == first("e00001") == second("e00001")
    assert PSEUDONYM.match(first("e00001"))


def test_pseudonyms_differ_for_another_key_and_another_employee() -> None:
    a, b = Pseudonymiser(KEY_A), Pseudonymiser(KEY_B)
    assert a("e00001") != b("e00001")
    employees = [f"e{i:05d}" for i in range(2000)]
    assert len({a(e) for e in employees}) == len(employees)


def test_pseudonyms_do_not_show_the_employee_id() -> None:
    pseudonym = Pseudonymiser(KEY_A)("jan.jansen")
    assert "jan" not in pseudonym.lower() and "jansen" not in pseudonym.lower()
    assert PSEUDONYM.match(pseudonym)
    assert PSEUDONYM.match(Pseudonymiser(KEY_A)("medewerker met é en spaties"))


def test_key_path_is_in_the_store_unless_the_environment_names_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(KEY_FILE_ENV, raising=False)
    assert key_path(tmp_path) == tmp_path / "keys" / "pseudonym.key"
    monkeypatch.setenv(KEY_FILE_ENV, str(tmp_path / "secrets" / "pk"))
    assert key_path(tmp_path) == tmp_path / "secrets" / "pk"


def test_key_file_is_created_once_private_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "store" / "keys" / "pseudonym.key"
    key = load_or_create_key(path)
    assert len(key) == KEY_BYTES
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert base64.b64decode(path.read_bytes()) == key
    written = path.read_bytes()

    assert load_or_create_key(path) == key
    assert path.read_bytes() == written
    assert Pseudonymiser(load_or_create_key(path))("e00001") == Pseudonymiser(key)("e00001")
    # only the key: no temporary or second file left next to it
    assert [p.name for p in path.parent.iterdir()] == ["pseudonym.key"]


def test_another_store_gets_another_key(tmp_path: Path) -> None:
    one = load_or_create_key(tmp_path / "one" / "pseudonym.key")
    two = load_or_create_key(tmp_path / "two" / "pseudonym.key")
    assert one != two
    assert Pseudonymiser(one)("e00001") != Pseudonymiser(two)("e00001")


def test_an_existing_key_file_is_used_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "pk"
    path.write_bytes(base64.b64encode(KEY_B) + b"\n")
    assert load_or_create_key(path) == KEY_B


@pytest.mark.parametrize("content", [b"", b"  \n", base64.b64encode(b"short"), b"not base64!"])
def test_a_broken_key_file_is_an_error_never_replaced(tmp_path: Path, content: bytes) -> None:
    # a new key would silently change every pseudonym, so a broken file must stop the tool
    path = tmp_path / "pk"
    path.write_bytes(content)
    with pytest.raises(ValueError):
        load_or_create_key(path)
    assert path.read_bytes() == content


def _first_starts(path: Path, workers: int) -> tuple[list[bytes], list[BaseException]]:
    """``workers`` threads that all ask for the key at the same moment."""
    start = threading.Barrier(workers)
    keys: list[bytes] = []
    errors: list[BaseException] = []

    def first_start() -> None:
        start.wait()
        try:
            keys.append(load_or_create_key(path))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=first_start) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return keys, errors


def test_concurrent_first_starts_agree_on_one_key(tmp_path: Path) -> None:
    for attempt in range(25):
        path = tmp_path / str(attempt) / "keys" / "pseudonym.key"
        keys, errors = _first_starts(path, workers=8)
        assert errors == [], f"attempt {attempt}: {errors[0]!r}"
        assert len(keys) == 8 and len(set(keys)) == 1
        assert base64.b64decode(path.read_bytes()) == keys[0]
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert [p.name for p in path.parent.iterdir()] == ["pseudonym.key"]


# --- revealing the employee behind an alert -----------------------------------------------------


def test_privacy_officer_reveals_with_a_justification_and_it_is_audited(
    session: Session,
) -> None:
    piet = make_user(session, "piet", "privacy_officer")
    paula = make_user(session, "paula", "privacy_officer")
    alert = make_alert(session, "a-1")
    other = make_alert(session, "a-2")
    assert not has_revealed(session, alert_id=alert, user=piet)

    reveal = reveal_employee(
        session, alert_id=alert, user=piet, justification=f"  {WHY}  ", client="10.0.0.7",
        now=T0,
    )  # fmt: skip
    assert (reveal.alert_id, reveal.user_id, reveal.justification, reveal.at) == (
        alert,
        piet.user_id,
        WHY,
        T0,
    )
    assert reveals_of(session, alert_id=alert) == [reveal]
    assert has_revealed(session, alert_id=alert, user=piet)
    # a reveal is for one alert and one officer
    assert not has_revealed(session, alert_id=other, user=piet)
    assert not has_revealed(session, alert_id=alert, user=paula)

    (entry,) = audit_entries(session)
    assert (entry.actor, entry.action, entry.target) == ("piet", "reveal", "alert:a-1")
    assert entry.details == {"justification": WHY}
    assert (entry.client, entry.at) == ("10.0.0.7", T0)
    assert_audit_intact(session, entries=1)


@pytest.mark.parametrize("roles", [("analist",), ("beheerder",), ("auditor",)])
def test_only_a_privacy_officer_may_reveal(session: Session, roles: tuple[str, ...]) -> None:
    user = make_user(session, "someone", *roles)
    alert = make_alert(session, "a-1")
    with pytest.raises(PermissionDenied):
        reveal_employee(session, alert_id=alert, user=user, justification=WHY)
    assert not has_revealed(session, alert_id=alert, user=user)
    assert reveals_of(session, alert_id=alert) == []
    assert audit_entries(session) == []


def test_a_justification_needs_twenty_characters(session: Session) -> None:
    piet = make_user(session, "piet", "privacy_officer")
    alert = make_alert(session, "a-1")
    short = "x" * (MIN_JUSTIFICATION - 1)
    for justification in ("", short, f"   {short}          "):
        with pytest.raises(UserError, match="minstens 20 tekens"):
            reveal_employee(session, alert_id=alert, user=piet, justification=justification)
    assert reveals_of(session, alert_id=alert) == []
    assert audit_entries(session) == []

    enough = "y" * MIN_JUSTIFICATION
    reveal_employee(session, alert_id=alert, user=piet, justification=enough)
    assert has_revealed(session, alert_id=alert, user=piet)


def test_revealing_for_an_unknown_alert_is_not_found(session: Session) -> None:
    piet = make_user(session, "piet", "privacy_officer")
    with pytest.raises(NotFound, match="a-404"):
        reveal_employee(session, alert_id="a-404", user=piet, justification=WHY)
    assert audit_entries(session) == []


def test_every_reveal_is_recorded(session: Session) -> None:
    piet = make_user(session, "piet", "privacy_officer")
    paula = make_user(session, "paula", "privacy_officer")
    alert = make_alert(session, "a-1")
    reveal_employee(session, alert_id=alert, user=piet, justification=WHY, now=T0)
    reveal_employee(session, alert_id=alert, user=paula, justification=WHY + " (2)", now=T0)
    reveal_employee(session, alert_id=alert, user=piet, justification=WHY + " (3)", now=T0)
    assert [r.user_id for r in reveals_of(session, alert_id=alert)] == [
        piet.user_id,
        paula.user_id,
        piet.user_id,
    ]
    assert [(a[0], a[1]) for a in audit_actions(session)] == [
        ("piet", "reveal"),
        ("paula", "reveal"),
        ("piet", "reveal"),
    ]
    assert_audit_intact(session, entries=3)


def test_a_reveal_no_longer_counts_once_the_role_is_gone(session: Session) -> None:
    piet = make_user(session, "piet", "privacy_officer")
    alert = make_alert(session, "a-1")
    reveal_employee(session, alert_id=alert, user=piet, justification=WHY)
    demoted = replace(piet, roles=("analist",))
    assert not has_revealed(session, alert_id=alert, user=demoted)

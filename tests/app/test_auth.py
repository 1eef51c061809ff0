"""Accounts and sign-in: Argon2id hashes, one-time passwords, throttling, lockout, roles.

Argon2 is deliberately slow (a tenth of a second per hash or check), so each test creates
as few accounts and attempts as it needs.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher, Type, extract_parameters
from sqlalchemy.orm import Session, sessionmaker

from schildwacht.app.auth import passwords
from schildwacht.app.auth.models import User, UserRecord
from schildwacht.app.auth.passwords import generate_password, password_problem
from schildwacht.app.auth.roles import Permission, Role, parse_roles, permissions_of
from schildwacht.app.auth.service import (
    LoginOutcome,
    LoginResult,
    add_user,
    authenticate,
    change_password,
    find_user,
    get_user,
    list_users,
    reset_password,
    set_active,
    set_roles,
)
from schildwacht.config import WebSettings
from schildwacht.errors import UserError
from tests.app.conftest import T0
from tests.app.factories import fresh_database

RULES = WebSettings()  # the shipped defaults: throttle after 3, lock after 5 for 15 minutes
NEW_PASSWORD = "paars-konijn-zomer-42"


@pytest.fixture
def sessions() -> sessionmaker[Session]:
    """A fresh migrated in-memory database (overrides the file-based one of conftest.py)."""
    return fresh_database()


@pytest.fixture
def fast_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap Argon2id parameters, for tests about counting attempts rather than hashing."""
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(passwords, "_HASHER", cheap)
    monkeypatch.setattr(passwords, "_DUMMY_HASH", cheap.hash("dummy"))


def _row(session: Session, username: str) -> UserRecord:
    query = sa.select(UserRecord).where(UserRecord.username == username)
    return session.execute(query).scalar_one()


def _login(session: Session, username: str, password: str, seconds: float = 0) -> LoginResult:
    return authenticate(
        session,
        username=username,
        password=password,
        rules=RULES,
        now=T0 + timedelta(seconds=seconds),
    )


# --- roles ------------------------------------------------------------------------------------


def test_analist_triages_but_cannot_decide_or_reveal() -> None:
    granted = permissions_of(["analist"])
    assert {Permission.alerts_read, Permission.alerts_triage, Permission.dossiers} <= granted
    assert Permission.alerts_decide not in granted
    assert Permission.reveal not in granted
    assert Permission.users not in granted
    assert Permission.audit_read not in granted


def test_privacy_officer_may_decide_and_reveal() -> None:
    granted = permissions_of(["privacy_officer"])
    assert {Permission.alerts_read, Permission.alerts_decide, Permission.reveal} <= granted
    assert Permission.users not in granted
    assert Permission.audit_read not in granted


def test_beheerder_runs_the_tool_but_sees_no_alerts() -> None:
    granted = permissions_of(["beheerder"])
    assert granted == {Permission.users, Permission.settings, Permission.suppressions}
    for hidden in (
        Permission.alerts_read,
        Permission.alerts_triage,
        Permission.alerts_decide,
        Permission.reveal,
        Permission.lookup,
        Permission.dossiers,
        Permission.audit_read,
    ):
        assert hidden not in granted


def test_auditor_only_reads_the_audit_trail() -> None:
    assert permissions_of(["auditor"]) == {Permission.audit_read}


def test_several_roles_grant_the_union_and_unknown_names_grant_nothing() -> None:
    both = permissions_of(["analist", "auditor"])
    assert both == permissions_of(["analist"]) | {Permission.audit_read}
    assert permissions_of(["superuser", "Privacy_Officer"]) == frozenset()
    user = User(1, "x", "X", ("beheerder", "auditor"))
    assert user.can(Permission.audit_read) and user.can(Permission.users)
    assert not user.can(Permission.alerts_read)


def test_parse_roles_refuses_typos_and_empty_lists() -> None:
    assert parse_roles([" analist", "analist", "auditor "]) == (Role.analist, Role.auditor)
    with pytest.raises(ValueError, match="unknown role 'analyst'"):
        parse_roles(["analyst"])
    with pytest.raises(ValueError, match="at least one role"):
        parse_roles([])


# --- passwords -----------------------------------------------------------------------------


def test_generated_passwords_are_long_random_and_unambiguous() -> None:
    generated = {generate_password() for _ in range(50)}
    assert len(generated) == 50
    for password in generated:
        assert len(password) == 20
        assert not set(password) & set("0O1lI")


def test_password_rules_are_about_length_not_composition() -> None:
    assert password_problem("kort", username="anna", min_length=12) is not None
    assert password_problem("anna-in-de-wei-2026", username="anna", min_length=12) is not None
    assert password_problem("abababababababab", username="anna", min_length=12) is not None
    # no digits, capitals or symbols required
    assert password_problem("lange zin zonder cijfers", username="anna", min_length=12) is None


# --- accounts ------------------------------------------------------------------------------


def test_new_user_gets_a_one_time_password_stored_only_as_argon2id(session: Session) -> None:
    user, password = add_user(
        session, username="  Anna.de-Vries ", roles=["analist"], display_name="Anna", now=T0
    )
    assert user.username == "anna.de-vries"
    assert user.display_name == "Anna"
    assert user.roles == ("analist",)
    assert user.must_change_password
    assert len(password) >= 20
    row = _row(session, "anna.de-vries")
    assert row.password_hash.startswith("$argon2id$")
    parameters = extract_parameters(row.password_hash)
    assert parameters.type is Type.ID
    assert parameters.memory_cost >= 19 * 1024  # OWASP's minimum for Argon2id
    assert parameters.time_cost >= 2
    assert password not in row.password_hash
    stored = session.execute(sa.select(UserRecord.__table__)).mappings().one()
    assert all(password not in str(value) for value in stored.values())
    assert row.created_at == T0


@pytest.mark.usefixtures("fast_argon2")
def test_user_names_are_checked_and_unique(session: Session) -> None:
    for bad in ("", "  ", "Anna de Vries", "anna@gemeente.nl", "a" * 65):
        with pytest.raises(UserError, match="invalid user name"):
            add_user(session, username=bad, roles=["analist"])
    with pytest.raises(UserError, match="unknown role"):
        add_user(session, username="anna", roles=["analyst"])
    with pytest.raises(UserError, match="at least one role"):
        add_user(session, username="anna", roles=[])
    assert list_users(session) == []
    add_user(session, username="anna", roles=["analist"])
    with pytest.raises(UserError, match="already exists"):
        add_user(session, username="ANNA", roles=["auditor"])
    assert [u.username for u in list_users(session)] == ["anna"]


@pytest.mark.usefixtures("fast_argon2")
def test_first_sign_in_with_the_one_time_password_must_change_it(session: Session) -> None:
    _, one_time = add_user(session, username="anna", roles=["privacy_officer"])
    result = _login(session, "Anna", one_time)  # user names are case-insensitive
    assert result.outcome == LoginOutcome.ok
    assert result.user is not None and result.user.must_change_password

    change_password(
        session, user_id=result.user.user_id, current=one_time, new=NEW_PASSWORD,
        rules=RULES, now=T0,
    )  # fmt: skip
    row = _row(session, "anna")
    assert not row.must_change_password
    assert row.password_changed_at == T0
    assert row.password_hash.startswith("$argon2id$")
    assert NEW_PASSWORD not in row.password_hash

    assert _login(session, "anna", one_time, 1).outcome == LoginOutcome.wrong
    after = _login(session, "anna", NEW_PASSWORD, 2)
    assert after.outcome == LoginOutcome.ok
    assert after.user is not None and not after.user.must_change_password


@pytest.mark.usefixtures("fast_argon2")
def test_change_password_checks_the_current_one_and_the_new_one(session: Session) -> None:
    user, one_time = add_user(session, username="anna", roles=["analist"])
    before = _row(session, "anna").password_hash

    def change(current: str, new: str) -> None:
        change_password(session, user_id=user.user_id, current=current, new=new, rules=RULES)

    with pytest.raises(UserError, match="huidige wachtwoord klopt niet"):
        change("niet-het-goede-wachtwoord", NEW_PASSWORD)
    with pytest.raises(UserError, match="minstens 12 tekens"):
        change(one_time, "kort-1")
    with pytest.raises(UserError, match="gebruikersnaam"):
        change(one_time, "ANNA-houdt-van-fietsen")
    with pytest.raises(UserError, match="ander wachtwoord"):
        change(one_time, one_time)
    with pytest.raises(UserError, match="huidige wachtwoord klopt niet"):
        change_password(session, user_id=9999, current=one_time, new=NEW_PASSWORD, rules=RULES)
    row = _row(session, "anna")
    assert row.password_hash == before
    assert row.must_change_password


def test_wrong_password_and_unknown_user_look_the_same(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, password = add_user(session, username="anna", roles=["analist"])
    checks: list[str] = []

    class CountingHasher(PasswordHasher):
        def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
            checks.append(str(hash))
            return super().verify(hash, password)

    monkeypatch.setattr(passwords, "_HASHER", CountingHasher())

    wrong = _login(session, "anna", password + "x")
    unknown = _login(session, "bert", password)
    assert wrong == unknown == LoginResult(LoginOutcome.wrong)
    # the unknown name costs a full Argon2 check too, so timing does not tell them apart
    assert len(checks) == 2
    assert all(h.startswith("$argon2id$") for h in checks)


@pytest.mark.usefixtures("fast_argon2")
def test_throttling_after_three_failures_with_a_growing_wait(session: Session) -> None:
    _, password = add_user(session, username="anna", roles=["analist"])
    for _ in range(3):
        assert _login(session, "anna", "fout").outcome == LoginOutcome.wrong

    # the fourth attempt must wait 2 s; even the right password is not checked meanwhile
    assert _login(session, "anna", password) == LoginResult(LoginOutcome.throttled, None, 2)
    assert _login(session, "anna", password, 1.5) == LoginResult(LoginOutcome.throttled, None, 1)
    # waiting does not count as a failure: after 2 s an attempt is checked again
    assert _login(session, "anna", "fout", 2).outcome == LoginOutcome.wrong
    assert _login(session, "anna", password, 2) == LoginResult(LoginOutcome.throttled, None, 4)
    assert _login(session, "anna", password, 5.9).outcome == LoginOutcome.throttled
    ok = _login(session, "anna", password, 6)
    assert ok.outcome == LoginOutcome.ok
    # success clears the count: the next failure is not throttled
    row = _row(session, "anna")
    assert (row.failed_logins, row.last_failed_at, row.locked_until) == (0, None, None)
    assert _login(session, "anna", "fout", 7).outcome == LoginOutcome.wrong
    assert _login(session, "anna", password, 7).outcome == LoginOutcome.ok


@pytest.mark.usefixtures("fast_argon2")
def test_failures_must_be_in_a_row_to_throttle(session: Session) -> None:
    _, password = add_user(session, username="anna", roles=["analist"])
    assert _login(session, "anna", "fout").outcome == LoginOutcome.wrong
    assert _login(session, "anna", "fout").outcome == LoginOutcome.wrong
    assert _login(session, "anna", password).outcome == LoginOutcome.ok
    assert _login(session, "anna", "fout").outcome == LoginOutcome.wrong
    assert _login(session, "anna", "fout").outcome == LoginOutcome.wrong
    assert _login(session, "anna", password).outcome == LoginOutcome.ok


@pytest.mark.usefixtures("fast_argon2")
def test_lockout_after_five_failures_for_fifteen_minutes(session: Session) -> None:
    _, password = add_user(session, username="anna", roles=["analist"])
    at = 0.0
    for _ in range(4):
        result = _login(session, "anna", "fout", at)
        assert result.outcome == LoginOutcome.wrong
        at += 10  # slow enough never to be throttled
    locked = _login(session, "anna", "fout", at)
    assert locked == LoginResult(LoginOutcome.locked, None, 15 * 60)
    until = T0 + timedelta(seconds=at, minutes=15)
    assert _row(session, "anna").locked_until == until

    # while locked even the right password is refused, and the wait counts down
    during = _login(session, "anna", password, at + 60)
    assert during == LoginResult(LoginOutcome.locked, None, 14 * 60)
    assert _login(session, "anna", password, at + 15 * 60 - 1).outcome == LoginOutcome.locked

    # the lock is lifted after lockout_minutes
    after = _login(session, "anna", password, at + 15 * 60)
    assert after.outcome == LoginOutcome.ok
    assert _row(session, "anna").locked_until is None


@pytest.mark.usefixtures("fast_argon2")
def test_after_a_lockout_the_count_starts_again(session: Session) -> None:
    _, password = add_user(session, username="anna", roles=["analist"])
    rules = WebSettings(throttle_after_failures=5, lockout_after_failures=2, lockout_minutes=1)

    def login(secret: str, seconds: float) -> LoginOutcome:
        now = T0 + timedelta(seconds=seconds)
        result = authenticate(session, username="anna", password=secret, rules=rules, now=now)
        return result.outcome

    assert login("fout", 0) == LoginOutcome.wrong
    assert login("fout", 1) == LoginOutcome.locked
    assert login(password, 30) == LoginOutcome.locked
    # one failure after the lock has ended does not lock again at once
    assert login("fout", 61) == LoginOutcome.wrong
    assert login(password, 62) == LoginOutcome.ok


@pytest.mark.usefixtures("fast_argon2")
def test_reset_password_lifts_a_lockout_and_forces_a_new_choice(session: Session) -> None:
    _, old = add_user(session, username="anna", roles=["analist"])
    rules = WebSettings(lockout_after_failures=1)
    locked = authenticate(session, username="anna", password="fout", rules=rules, now=T0)
    assert locked.outcome == LoginOutcome.locked

    fresh = reset_password(session, username="ANNA")
    assert fresh != old
    row = _row(session, "anna")
    assert row.locked_until is None and row.failed_logins == 0
    assert row.must_change_password
    assert row.password_hash.startswith("$argon2id$") and fresh not in row.password_hash
    assert _login(session, "anna", old).outcome == LoginOutcome.wrong
    result = _login(session, "anna", fresh)
    assert result.outcome == LoginOutcome.ok
    assert result.user is not None and result.user.must_change_password


@pytest.mark.usefixtures("fast_argon2")
def test_disabled_user_cannot_sign_in(session: Session) -> None:
    _, password = add_user(session, username="anna", roles=["analist"])
    disabled = set_active(session, username="anna", active=False)
    assert not disabled.active
    assert _login(session, "anna", password) == LoginResult(LoginOutcome.disabled)
    # a wrong password does not tell a guesser that the account exists but is disabled
    assert _login(session, "anna", "fout") == LoginResult(LoginOutcome.wrong)

    set_active(session, username="anna", active=True)
    assert _login(session, "anna", password).outcome == LoginOutcome.ok


def test_managing_an_unknown_user_is_an_error(session: Session) -> None:
    with pytest.raises(UserError, match="no user 'bert'"):
        reset_password(session, username="bert")
    with pytest.raises(UserError, match="no user"):
        set_active(session, username="bert", active=False)
    with pytest.raises(UserError, match="no user"):
        set_roles(session, username="bert", roles=["analist"])


@pytest.mark.usefixtures("fast_argon2")
def test_set_roles_replaces_roles_and_refuses_unknown_ones(session: Session) -> None:
    user, _ = add_user(session, username="anna", roles=["analist"])
    changed = set_roles(session, username="anna", roles=["privacy_officer", "auditor"])
    assert changed.roles == ("privacy_officer", "auditor")
    assert changed.can(Permission.reveal) and changed.can(Permission.audit_read)
    with pytest.raises(UserError, match="unknown role"):
        set_roles(session, username="anna", roles=["privacy_officer", "admin"])
    with pytest.raises(UserError, match="at least one role"):
        set_roles(session, username="anna", roles=[])
    stored = get_user(session, user_id=user.user_id)
    assert stored is not None and stored.roles == ("privacy_officer", "auditor")
    found = find_user(session, username=" Anna ")
    assert found == stored
    assert find_user(session, username="bert") is None
    assert get_user(session, user_id=9999) is None


def test_sign_in_upgrades_a_hash_made_with_weaker_parameters(session: Session) -> None:
    add_user(session, username="anna", roles=["analist"])
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
    row = _row(session, "anna")
    row.password_hash = weak.hash(NEW_PASSWORD)
    assert passwords.needs_rehash(row.password_hash)

    assert _login(session, "anna", NEW_PASSWORD).outcome == LoginOutcome.ok
    upgraded = _row(session, "anna").password_hash
    assert upgraded.startswith("$argon2id$")
    assert not passwords.needs_rehash(upgraded)
    assert _login(session, "anna", NEW_PASSWORD, 1).outcome == LoginOutcome.ok


def test_a_naive_time_is_refused(session: Session) -> None:
    with pytest.raises(ValueError, match="naive"):
        authenticate(session, username="x", password="y", rules=RULES, now=T0.replace(tzinfo=None))

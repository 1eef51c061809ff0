"""Server-side sign-in sessions (idle and absolute expiry) and personal access tokens."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from schildwacht.app.auth.models import ApiTokenRecord, WebSessionRecord
from schildwacht.app.auth.roles import Permission
from schildwacht.app.auth.service import set_active, set_roles
from schildwacht.app.auth.sessions import (
    TOKEN_PREFIX,
    create_token,
    end_session,
    end_user_sessions,
    list_tokens,
    resume_session,
    revoke_token,
    start_session,
    token_user,
)
from schildwacht.config import WebSettings
from schildwacht.errors import UserError
from tests.app.conftest import T0
from tests.app.factories import fresh_database, make_user

RULES = WebSettings()  # idle 30 minutes, at most 10 hours


@pytest.fixture
def sessions() -> sessionmaker[Session]:
    """A fresh migrated in-memory database (overrides the file-based one of conftest.py)."""
    return fresh_database()


def _minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


def _stored_sessions(session: Session) -> list[WebSessionRecord]:
    return list(session.execute(sa.select(WebSessionRecord)).scalars())


# --- web sessions -----------------------------------------------------------------------------


def test_session_cookie_is_random_and_only_its_hash_is_stored(session: Session) -> None:
    anna = make_user(session, "anna", "analist")
    token, web = start_session(session, user=anna, rules=RULES, now=T0)
    other, _ = start_session(session, user=anna, rules=RULES, now=T0)
    assert len(token) >= 40 and token != other
    assert web.user == anna
    assert web.csrf_token and web.csrf_token != token

    assert len(_stored_sessions(session)) == 2
    row = session.get(WebSessionRecord, hashlib.sha256(token.encode()).hexdigest())
    assert row is not None
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest() == web.token_hash
    assert token not in {row.token_hash, row.csrf_token}
    assert (row.created_at, row.last_seen) == (T0, T0)
    assert row.expires_at == T0 + timedelta(hours=10)


def test_resume_finds_the_user_and_unknown_cookies_find_nothing(session: Session) -> None:
    anna = make_user(session, "anna", "privacy_officer")
    token, started = start_session(session, user=anna, rules=RULES, now=T0)
    resumed = resume_session(session, token=token, rules=RULES, now=T0 + _minutes(1))
    assert resumed == started
    assert resume_session(session, token=token + "x", rules=RULES, now=T0) is None
    assert resume_session(session, token=started.token_hash, rules=RULES, now=T0) is None


def test_session_ends_after_thirty_idle_minutes(session: Session) -> None:
    anna = make_user(session, "anna", "analist")
    token, _ = start_session(session, user=anna, rules=RULES, now=T0)

    # each request moves the idle limit forward
    assert resume_session(session, token=token, rules=RULES, now=T0 + _minutes(29)) is not None
    assert resume_session(session, token=token, rules=RULES, now=T0 + _minutes(58)) is not None
    assert resume_session(session, token=token, rules=RULES, now=T0 + _minutes(87)) is not None

    # thirty minutes of silence end it, for good
    assert resume_session(session, token=token, rules=RULES, now=T0 + _minutes(117)) is None
    assert _stored_sessions(session) == []
    assert resume_session(session, token=token, rules=RULES, now=T0 + _minutes(88)) is None


def test_idle_limit_is_exact(session: Session) -> None:
    anna = make_user(session, "anna", "analist")
    token, _ = start_session(session, user=anna, rules=RULES, now=T0)
    almost = T0 + _minutes(30) - timedelta(seconds=1)
    assert resume_session(session, token=token, rules=RULES, now=almost) is not None

    token, _ = start_session(session, user=anna, rules=RULES, now=T0)
    assert resume_session(session, token=token, rules=RULES, now=T0 + _minutes(30)) is None


def test_session_ends_at_the_absolute_limit_however_active(session: Session) -> None:
    anna = make_user(session, "anna", "analist")
    rules = WebSettings(session_idle_minutes=30, session_max_hours=2)
    token, _ = start_session(session, user=anna, rules=rules, now=T0)
    for minutes in range(10, 120, 10):
        alive = resume_session(session, token=token, rules=rules, now=T0 + _minutes(minutes))
        assert alive is not None, f"ended early, after {minutes} minutes"
    assert resume_session(session, token=token, rules=rules, now=T0 + _minutes(120)) is None
    assert _stored_sessions(session) == []


def test_disabling_a_user_ends_their_sessions(session: Session) -> None:
    anna = make_user(session, "anna", "analist")
    token, _ = start_session(session, user=anna, rules=RULES, now=T0)
    set_active(session, username="anna", active=False)
    assert resume_session(session, token=token, rules=RULES, now=T0 + _minutes(1)) is None
    # enabling the account again does not bring the old session back
    set_active(session, username="anna", active=True)
    assert resume_session(session, token=token, rules=RULES, now=T0 + _minutes(2)) is None


def test_role_changes_apply_to_a_running_session(session: Session) -> None:
    anna = make_user(session, "anna", "privacy_officer")
    token, _ = start_session(session, user=anna, rules=RULES, now=T0)
    set_roles(session, username="anna", roles=["analist"])
    resumed = resume_session(session, token=token, rules=RULES, now=T0 + _minutes(1))
    assert resumed is not None
    assert not resumed.user.can(Permission.reveal)


def test_signing_out_and_signing_out_everywhere(session: Session) -> None:
    anna = make_user(session, "anna", "analist")
    bert = make_user(session, "bert", "analist")
    here, current = start_session(session, user=anna, rules=RULES, now=T0)
    elsewhere, _ = start_session(session, user=anna, rules=RULES, now=T0)
    gone, old = start_session(session, user=anna, rules=RULES, now=T0)
    berts, _ = start_session(session, user=bert, rules=RULES, now=T0)
    later = T0 + _minutes(1)

    end_session(session, token_hash=old.token_hash)
    assert resume_session(session, token=gone, rules=RULES, now=later) is None
    assert resume_session(session, token=elsewhere, rules=RULES, now=later) is not None

    # after a password change: every other session of the user ends, this one stays
    end_user_sessions(session, user_id=anna.user_id, keep=current.token_hash)
    assert resume_session(session, token=elsewhere, rules=RULES, now=later) is None
    assert resume_session(session, token=here, rules=RULES, now=later) is not None
    assert resume_session(session, token=berts, rules=RULES, now=later) is not None

    end_user_sessions(session, user_id=anna.user_id)
    assert resume_session(session, token=here, rules=RULES, now=later) is None
    assert resume_session(session, token=berts, rules=RULES, now=later) is not None


# --- personal access tokens ------------------------------------------------------------------


def test_token_works_and_only_its_hash_is_stored(session: Session) -> None:
    anna = make_user(session, "anna", "privacy_officer")
    secret, token = create_token(session, user=anna, name=" export-script ", now=T0)
    assert secret.startswith(TOKEN_PREFIX) and len(secret) > 40
    assert token.name == "export-script"
    assert token.prefix == secret[: len(TOKEN_PREFIX) + 4]
    assert token.expires_at == T0 + timedelta(days=90)

    row = session.execute(sa.select(ApiTokenRecord.__table__)).mappings().one()
    assert row["token_hash"] == hashlib.sha256(secret.encode()).hexdigest()
    assert all(secret not in str(value) for value in row.values())

    user = token_user(session, secret=secret, now=T0 + timedelta(days=1))
    assert user == anna
    assert list_tokens(session, user_id=anna.user_id)[0].last_used_at == T0 + timedelta(days=1)
    assert token_user(session, secret=secret + "x", now=T0) is None
    assert token_user(session, secret=row["token_hash"], now=T0) is None


def test_revoked_token_no_longer_works(session: Session) -> None:
    anna = make_user(session, "anna", "analist")
    bert = make_user(session, "bert", "analist")
    secret, token = create_token(session, user=anna, name="script", now=T0)
    with pytest.raises(UserError, match="no token"):
        revoke_token(session, user_id=bert.user_id, token_id=token.token_id)
    assert token_user(session, secret=secret, now=T0) == anna  # bert could not revoke it

    revoked = revoke_token(session, user_id=anna.user_id, token_id=token.token_id, now=T0)
    assert revoked.revoked_at == T0
    assert token_user(session, secret=secret, now=T0 + timedelta(seconds=1)) is None
    again = revoke_token(session, user_id=anna.user_id, token_id=token.token_id)
    assert again.revoked_at == T0  # the first revocation time is kept
    with pytest.raises(UserError, match="no token"):
        revoke_token(session, user_id=anna.user_id, token_id=9999)


def test_expired_token_no_longer_works(session: Session) -> None:
    anna = make_user(session, "anna", "analist")
    secret, _ = create_token(session, user=anna, name="script", days=7, now=T0)
    last_second = T0 + timedelta(days=7) - timedelta(seconds=1)
    assert token_user(session, secret=secret, now=last_second) == anna
    assert token_user(session, secret=secret, now=T0 + timedelta(days=7)) is None


def test_token_without_expiry_needs_to_be_asked_for(session: Session) -> None:
    anna = make_user(session, "anna", "analist")
    secret, token = create_token(session, user=anna, name="forever", days=None, now=T0)
    assert token.expires_at is None
    assert token_user(session, secret=secret, now=T0 + timedelta(days=3650)) == anna


@pytest.mark.parametrize("days", [0, -1])
def test_token_lifetime_must_be_positive(session: Session, days: int) -> None:
    # zero days must not silently become "never expires"
    anna = make_user(session, "anna", "analist")
    with pytest.raises(UserError, match="day"):
        create_token(session, user=anna, name="script", days=days, now=T0)
    assert list_tokens(session, user_id=anna.user_id) == []


def test_token_needs_a_name(session: Session) -> None:
    anna = make_user(session, "anna", "analist")
    with pytest.raises(UserError, match="name"):
        create_token(session, user=anna, name="   ")


def test_token_of_a_disabled_user_does_not_work(session: Session) -> None:
    anna = make_user(session, "anna", "analist")
    secret, _ = create_token(session, user=anna, name="script", now=T0)
    set_active(session, username="anna", active=False)
    assert token_user(session, secret=secret, now=T0) is None
    set_active(session, username="anna", active=True)
    assert token_user(session, secret=secret, now=T0) == anna


def test_token_acts_with_the_users_current_roles(session: Session) -> None:
    anna = make_user(session, "anna", "privacy_officer")
    secret, _ = create_token(session, user=anna, name="script", now=T0)
    set_roles(session, username="anna", roles=["auditor"])
    user = token_user(session, secret=secret, now=T0)
    assert user is not None
    assert user.permissions == {Permission.audit_read}


def test_tokens_are_listed_per_user_newest_first(session: Session) -> None:
    anna = make_user(session, "anna", "analist")
    bert = make_user(session, "bert", "analist")
    create_token(session, user=anna, name="old", now=T0)
    create_token(session, user=anna, name="new", now=T0 + timedelta(days=1))
    create_token(session, user=bert, name="berts", now=T0)
    assert [t.name for t in list_tokens(session, user_id=anna.user_id)] == ["new", "old"]
    assert [t.name for t in list_tokens(session, user_id=bert.user_id)] == ["berts"]

"""Creating and managing accounts, and checking a sign-in attempt.

Throttling and lockout work per account, in the database, so they hold across web workers:
after ``throttle_after_failures`` failures in a row each attempt must wait 2, 4, 8, ... s;
after ``lockout_after_failures`` the account is locked for ``lockout_minutes``. A wrong
password for an unknown name costs the same time as for a known one, and the message is the
same, so sign-in does not reveal which accounts exist.

Services never commit; the caller owns the transaction and records the audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Session

from schildwacht.app.auth.models import User, UserRecord
from schildwacht.app.auth.passwords import (
    generate_password,
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)
from schildwacht.app.auth.roles import parse_roles
from schildwacht.app.base import as_utc, utc_now
from schildwacht.config import WebSettings
from schildwacht.errors import UserError

USERNAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789._-")


def _now(now: datetime | None) -> datetime:
    return as_utc(now, "now") if now is not None else utc_now()


def _record(session: Session, username: str) -> UserRecord | None:
    query = sa.select(UserRecord).where(UserRecord.username == username.strip().lower())
    return session.execute(query).scalar_one_or_none()


def add_user(
    session: Session,
    *,
    username: str,
    roles: list[str],
    display_name: str | None = None,
    now: datetime | None = None,
) -> tuple[User, str]:
    """Create an account; returns it with a generated one-time password (shown once).

    There is no default password: the user must choose their own at first sign-in.
    """
    name = username.strip().lower()
    if not name or not set(name) <= USERNAME_CHARS or len(name) > 64:
        raise UserError(
            f"invalid user name {username!r}: use 1-64 lower-case letters, digits, '.', '_', '-'"
        )
    try:
        parsed = parse_roles(roles)
    except ValueError as error:
        raise UserError(str(error)) from None
    if _record(session, name) is not None:
        raise UserError(f"user {name!r} already exists")
    password = generate_password()
    row = UserRecord(
        username=name,
        display_name=(display_name or name).strip(),
        roles=[r.value for r in parsed],
        password_hash=hash_password(password),
        must_change_password=True,
        active=True,
        failed_logins=0,
        created_at=_now(now),
    )
    session.add(row)
    session.flush()
    return User.from_record(row), password


def get_user(session: Session, *, user_id: int) -> User | None:
    row = session.get(UserRecord, user_id)
    return User.from_record(row) if row is not None else None


def find_user(session: Session, *, username: str) -> User | None:
    row = _record(session, username)
    return User.from_record(row) if row is not None else None


def list_users(session: Session) -> list[User]:
    rows = session.execute(sa.select(UserRecord).order_by(UserRecord.username)).scalars()
    return [User.from_record(r) for r in rows]


def reset_password(session: Session, *, username: str) -> str:
    """A new one-time password; also lifts a lockout."""
    row = _required(session, username)
    password = generate_password()
    row.password_hash = hash_password(password)
    row.must_change_password = True
    row.failed_logins = 0
    row.locked_until = None
    return password


def set_active(session: Session, *, username: str, active: bool) -> User:
    row = _required(session, username)
    row.active = active
    return User.from_record(row)


def set_roles(session: Session, *, username: str, roles: list[str]) -> User:
    row = _required(session, username)
    try:
        row.roles = [r.value for r in parse_roles(roles)]
    except ValueError as error:
        raise UserError(str(error)) from None
    return User.from_record(row)


def _required(session: Session, username: str) -> UserRecord:
    row = _record(session, username)
    if row is None:
        raise UserError(f"no user {username!r}; see 'schildwacht users list'")
    return row


class LoginOutcome(StrEnum):
    ok = "ok"
    wrong = "wrong"  # unknown user or wrong password: one answer for both
    throttled = "throttled"
    locked = "locked"
    disabled = "disabled"


@dataclass(frozen=True)
class LoginResult:
    outcome: LoginOutcome
    user: User | None = None
    wait_seconds: int = 0


def authenticate(
    session: Session,
    *,
    username: str,
    password: str,
    rules: WebSettings,
    now: datetime | None = None,
) -> LoginResult:
    """Check one sign-in attempt and update the account's failure count."""
    at = _now(now)
    row = _record(session, username)
    if row is None:
        verify_password(None, password)  # same cost as a real check
        return LoginResult(LoginOutcome.wrong)
    if row.locked_until is not None and as_utc(row.locked_until, "locked_until") > at:
        return LoginResult(LoginOutcome.locked, wait_seconds=_seconds(row.locked_until, at))
    wait = _throttle_wait(row, rules, at)
    if wait > 0:
        return LoginResult(LoginOutcome.throttled, wait_seconds=wait)
    if not verify_password(row.password_hash, password):
        _fail(row, rules, at)
        if row.locked_until is not None and as_utc(row.locked_until, "locked_until") > at:
            return LoginResult(LoginOutcome.locked, wait_seconds=_seconds(row.locked_until, at))
        return LoginResult(LoginOutcome.wrong)
    if not row.active:
        return LoginResult(LoginOutcome.disabled)
    row.failed_logins, row.last_failed_at, row.locked_until = 0, None, None
    if needs_rehash(row.password_hash):
        row.password_hash = hash_password(password)
    return LoginResult(LoginOutcome.ok, User.from_record(row))


def _seconds(until: datetime, at: datetime) -> int:
    return max(1, int((as_utc(until, "until") - at).total_seconds() + 0.999))


def _throttle_wait(row: UserRecord, rules: WebSettings, at: datetime) -> int:
    if row.failed_logins < rules.throttle_after_failures or row.last_failed_at is None:
        return 0
    delay = timedelta(seconds=2 ** (row.failed_logins - rules.throttle_after_failures + 1))
    ready = as_utc(row.last_failed_at, "last_failed_at") + delay
    return _seconds(ready, at) if ready > at else 0


def _fail(row: UserRecord, rules: WebSettings, at: datetime) -> None:
    row.failed_logins += 1
    row.last_failed_at = at
    if row.failed_logins >= rules.lockout_after_failures:
        row.locked_until = at + timedelta(minutes=rules.lockout_minutes)
        row.failed_logins = 0


def change_password(
    session: Session,
    *,
    user_id: int,
    current: str,
    new: str,
    rules: WebSettings,
    now: datetime | None = None,
) -> None:
    """Set a new password after checking the current one; raises UserError with a Dutch reason."""
    row = session.get(UserRecord, user_id)
    if row is None or not verify_password(row.password_hash, current):
        raise UserError("Het huidige wachtwoord klopt niet.")
    if new == current:
        raise UserError("Kies een ander wachtwoord dan het huidige.")
    problem = password_problem(new, username=row.username, min_length=rules.min_password_length)
    if problem:
        raise UserError(problem)
    row.password_hash = hash_password(new)
    row.must_change_password = False
    row.password_changed_at = _now(now)

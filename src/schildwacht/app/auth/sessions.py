"""Server-side sign-in sessions and personal access tokens.

A session cookie carries only a random token; the database keeps its SHA-256, the user, the
CSRF token and the expiry, so signing out or disabling a user ends access at once (a signed
cookie could not be revoked). Sessions end after a period without requests and at a fixed
time after sign-in, whichever comes first.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from schildwacht.app.auth.models import (
    ApiToken,
    ApiTokenRecord,
    User,
    UserRecord,
    WebSessionRecord,
)
from schildwacht.app.base import as_utc, utc_now
from schildwacht.config import WebSettings
from schildwacht.errors import UserError

TOKEN_PREFIX = "swpat_"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class WebSession:
    token_hash: str
    user: User
    csrf_token: str


def start_session(
    session: Session,
    *,
    user: User,
    rules: WebSettings,
    now: datetime | None = None,
) -> tuple[str, WebSession]:
    """A new session for ``user``; returns the cookie value and the session."""
    at = as_utc(now, "now") if now is not None else utc_now()
    token = secrets.token_urlsafe(32)
    row = WebSessionRecord(
        token_hash=digest(token),
        user_id=user.user_id,
        csrf_token=secrets.token_urlsafe(32),
        created_at=at,
        last_seen=at,
        expires_at=at + timedelta(hours=rules.session_max_hours),
    )
    session.add(row)
    session.flush()
    return token, WebSession(row.token_hash, user, row.csrf_token)


def resume_session(
    session: Session, *, token: str, rules: WebSettings, now: datetime | None = None
) -> WebSession | None:
    """The live session behind a cookie value, touched; None when unknown, idle or expired."""
    at = as_utc(now, "now") if now is not None else utc_now()
    row = session.get(WebSessionRecord, digest(token))
    if row is None:
        return None
    idle_limit = as_utc(row.last_seen, "last_seen") + timedelta(minutes=rules.session_idle_minutes)
    user = session.get(UserRecord, row.user_id)
    if at >= as_utc(row.expires_at, "expires_at") or at >= idle_limit or user is None:
        session.delete(row)
        return None
    if not user.active:
        session.delete(row)
        return None
    if (at - as_utc(row.last_seen, "last_seen")).total_seconds() > 30:
        row.last_seen = at  # at most one write per half minute per session
    return WebSession(row.token_hash, User.from_record(user), row.csrf_token)


def end_session(session: Session, *, token_hash: str) -> None:
    session.execute(sa.delete(WebSessionRecord).where(WebSessionRecord.token_hash == token_hash))


def end_user_sessions(session: Session, *, user_id: int, keep: str | None = None) -> None:
    """Sign a user out everywhere (after a password change, all but the current session)."""
    query = sa.delete(WebSessionRecord).where(WebSessionRecord.user_id == user_id)
    if keep is not None:
        query = query.where(WebSessionRecord.token_hash != keep)
    session.execute(query)


def create_token(
    session: Session,
    *,
    user: User,
    name: str,
    days: int | None = 90,
    now: datetime | None = None,
) -> tuple[str, ApiToken]:
    """A personal access token for ``user``'s own roles; the secret is returned once."""
    name = name.strip()
    if not name:
        raise UserError("a token needs a name that says what it is for")
    if days is not None and days < 1:
        raise UserError("a token must be valid for at least 1 day (None: no expiry)")
    at = as_utc(now, "now") if now is not None else utc_now()
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiTokenRecord(
        user_id=user.user_id,
        name=name[:128],
        token_hash=digest(secret),
        prefix=secret[: len(TOKEN_PREFIX) + 4],
        created_at=at,
        expires_at=at + timedelta(days=days) if days is not None else None,
    )
    session.add(row)
    session.flush()
    return secret, ApiToken.from_record(row)


def token_user(session: Session, *, secret: str, now: datetime | None = None) -> User | None:
    """The active user a bearer token belongs to, or None (unknown, revoked, expired)."""
    at = as_utc(now, "now") if now is not None else utc_now()
    row = session.execute(
        sa.select(ApiTokenRecord).where(ApiTokenRecord.token_hash == digest(secret))
    ).scalar_one_or_none()
    if row is None or row.revoked_at is not None:
        return None
    if row.expires_at is not None and as_utc(row.expires_at, "expires_at") <= at:
        return None
    user = session.get(UserRecord, row.user_id)
    if user is None or not user.active:
        return None
    if (
        row.last_used_at is None
        or (at - as_utc(row.last_used_at, "last_used")).total_seconds() > 60
    ):
        row.last_used_at = at
    return User.from_record(user)


def list_tokens(session: Session, *, user_id: int) -> list[ApiToken]:
    query = (
        sa.select(ApiTokenRecord)
        .where(ApiTokenRecord.user_id == user_id)
        .order_by(ApiTokenRecord.created_at.desc())
    )
    return [ApiToken.from_record(r) for r in session.execute(query).scalars()]


def revoke_token(
    session: Session, *, user_id: int, token_id: int, now: datetime | None = None
) -> ApiToken:
    row = session.get(ApiTokenRecord, token_id)
    if row is None or row.user_id != user_id:
        raise UserError(f"no token {token_id} of yours")
    if row.revoked_at is None:
        row.revoked_at = as_utc(now, "now") if now is not None else utc_now()
    return ApiToken.from_record(row)

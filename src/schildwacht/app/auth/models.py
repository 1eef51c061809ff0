"""Tables of accounts, sign-in sessions and personal access tokens.

Secrets are never stored: passwords as Argon2id hashes, session and API tokens as SHA-256
digests (they are long random values, so a fast hash suffices and a stolen database yields
no usable token).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from schildwacht.app.auth.roles import Permission, permissions_of
from schildwacht.app.base import Base, UTCDateTime


class UserRecord(Base):
    __tablename__ = "users"

    user_id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(sa.String(64), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(128))
    roles: Mapped[list[str]] = mapped_column(sa.JSON)
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    must_change_password: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    active: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(sa.Integer, default=0)
    last_failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class WebSessionRecord(Base):
    __tablename__ = "web_sessions"

    token_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.user_id"), index=True)
    csrf_token: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class ApiTokenRecord(Base):
    __tablename__ = "api_tokens"

    token_id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.user_id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(128))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    prefix: Mapped[str] = mapped_column(sa.String(16))  # shown in lists to tell tokens apart
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


@dataclass(frozen=True)
class User:
    """A signed-in (or listed) user, detached from the session."""

    user_id: int
    username: str
    display_name: str
    roles: tuple[str, ...]
    active: bool = True
    must_change_password: bool = False
    locked_until: datetime | None = None

    @classmethod
    def from_record(cls, row: UserRecord) -> User:
        return cls(
            user_id=row.user_id,
            username=row.username,
            display_name=row.display_name,
            roles=tuple(row.roles),
            active=row.active,
            must_change_password=row.must_change_password,
            locked_until=row.locked_until,
        )

    @property
    def permissions(self) -> frozenset[Permission]:
        return permissions_of(self.roles)

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions


@dataclass(frozen=True)
class ApiToken:
    token_id: int
    user_id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def from_record(cls, row: ApiTokenRecord) -> ApiToken:
        return cls(
            row.token_id,
            row.user_id,
            row.name,
            row.prefix,
            row.created_at,
            row.expires_at,
            row.last_used_at,
            row.revoked_at,
        )

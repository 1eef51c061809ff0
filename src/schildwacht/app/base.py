"""The declarative base and the column types every table shares.

Kept apart from ``db.py`` so models import only this small module, and the migration
environment can import the models without pulling in the engine set-up.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
"""Named constraints, because Alembic can only alter or drop a constraint it can name
(SQLite batch migrations and PostgreSQL alike)."""


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(sa.TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every database.

    PostgreSQL keeps the offset (``timestamptz``); SQLite silently drops it. So values are
    converted to UTC on the way in (a naive value is refused: its meaning would be a guess)
    and UTC is attached again on the way out, and both databases return the same thing.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: give a timezone-aware value")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utc_now() -> datetime:
    """The current time as an aware UTC datetime (what every ``*_at`` column stores)."""
    return datetime.now(UTC)


def as_utc(value: datetime, what: str) -> datetime:
    """``value`` in UTC; a naive datetime is a programming error (its zone would be a guess)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} is a naive datetime; give a timezone-aware value")
    return value.astimezone(UTC)

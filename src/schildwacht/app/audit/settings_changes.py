"""Recording changes to the store's settings file in the audit trail.

Settings live in ``schildwacht.toml``, edited by a beheerder outside the app, so the app
cannot see who changed them; it can see *that* and *what* changed. Whenever the web app
starts or detection runs, the effective settings are compared with those the trail last
recorded, and a difference becomes one ``settings_changed`` entry listing every changed key
with its old and new value (settings hold no personal data). The first sighting records the
whole set as ``settings_recorded``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from schildwacht.app.audit.models import AuditRecord
from schildwacht.app.audit.service import append
from schildwacht.config import Settings

ACTIONS = ("settings_recorded", "settings_changed")


def flatten(settings: Settings) -> dict[str, Any]:
    """Every effective setting as ``section.key`` -> JSON value (database URL left out:
    it may hold a password)."""
    flat: dict[str, Any] = {}
    for spec in dataclasses.fields(settings):
        value = getattr(settings, spec.name)
        if spec.name in ("source", "database"):
            continue
        if dataclasses.is_dataclass(value):
            for inner in dataclasses.fields(value):
                flat[f"{spec.name}.{inner.name}"] = _plain(getattr(value, inner.name))
        else:
            flat[spec.name] = _plain(value)
    return flat


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def digest(flat: Mapping[str, Any]) -> str:
    text = json.dumps(flat, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def record_settings(session: Session, *, settings: Settings, actor: str) -> str | None:
    """Append an entry when the settings differ from the last recorded ones; returns the
    action written, or None when nothing changed."""
    flat = flatten(settings)
    current = digest(flat)
    last = session.execute(
        sa.select(AuditRecord.details)
        .where(AuditRecord.action.in_(ACTIONS))
        .order_by(AuditRecord.seq.desc())
        .limit(1)
    ).scalar_one_or_none()
    if last is not None and last.get("digest") == current:
        return None
    if last is None:
        append(session, actor=actor, action="settings_recorded",
               details={"digest": current, "settings": flat})  # fmt: skip
        return "settings_recorded"
    before: dict[str, Any] = last.get("settings", {})
    changes = {
        key: {"old": before.get(key), "new": flat.get(key)}
        for key in sorted(set(before) | set(flat))
        if before.get(key) != flat.get(key)
    }
    append(session, actor=actor, action="settings_changed",
           details={"digest": current, "changes": changes, "settings": flat})  # fmt: skip
    return "settings_changed"

"""Changes to the settings file show up in the audit trail, with old and new values."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.orm import Session, sessionmaker

from schildwacht.app.audit.service import recent, verify
from schildwacht.app.audit.settings_changes import record_settings
from schildwacht.config import Settings, TriageSettings


def test_first_sighting_records_then_only_changes_are_recorded(
    sessions: sessionmaker[Session],
) -> None:
    settings = Settings()
    with sessions.begin() as db:
        assert record_settings(db, settings=settings, actor="system:web") == "settings_recorded"
        assert record_settings(db, settings=settings, actor="system:detect") is None
        stricter = replace(settings, triage=TriageSettings(four_eyes_min_score=50.0))
        assert record_settings(db, settings=stricter, actor="system:web") == "settings_changed"
        assert record_settings(db, settings=stricter, actor="system:web") is None
    with sessions.begin() as db:
        (latest, *_) = recent(db, limit=1)
        assert latest.action == "settings_changed"
        assert latest.details["changes"] == {
            "triage.four_eyes_min_score": {"old": 70.0, "new": 50.0}
        }
        assert "database.url" not in latest.details["settings"]
        assert verify(db).ok

"""Helpers for the breach-dossier tests: a team, alerts closed as confirmed misuse, dossiers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from schildwacht.app.auth.models import User
from schildwacht.app.dossiers.service import create_dossier
from schildwacht.app.triage.service import confirm_decision, propose_close
from schildwacht.config import TriageSettings
from schildwacht.detect.model import Reason
from tests.app.conftest import T0, candidate
from tests.app.factories import make_alerts, make_user

RULES = TriageSettings()
CLOSED_AT = T0 + timedelta(hours=1)


@dataclass(frozen=True)
class Team:
    analist: User
    po1: User  # decides
    po2: User  # the second privacy officer (four-eyes on alerts)
    fg: User  # the data protection officer: confirms not notifying the AP
    both: User  # a privacy officer who is also the FG (a small municipality)
    auditor: User


def make_team(session: Session) -> Team:
    return Team(
        analist=make_user(session, "ana", "analist"),
        po1=make_user(session, "piet", "privacy_officer"),
        po2=make_user(session, "paula", "privacy_officer"),
        fg=make_user(session, "fenna", "fg"),
        both=make_user(session, "bas", "privacy_officer", "fg"),
        auditor=make_user(session, "aud", "auditor"),
    )


def reason(scenario: str, code: str, **details: Any) -> Reason:
    return Reason(scenario, code, f"{scenario} {code}", f"{scenario} {code}", 10.0, details)


def close_alert(
    session: Session, team: Team, alert_id: str, resolution: str = "misbruik_bevestigd"
) -> None:
    """Close ``alert_id`` with ``resolution``, confirmed by a second officer when needed."""
    decision = propose_close(
        session, alert_id=alert_id, user=team.po1, resolution=resolution,
        note="Geen werkreden; medewerker gehoord.", rules=RULES, now=CLOSED_AT,
    )  # fmt: skip
    if decision.state == "pending":
        confirm_decision(session, decision_id=decision.decision_id, user=team.po2, now=CLOSED_AT)


def dossier_with(
    session: Session, team: Team, *reasons: Reason, scenarios: tuple[str, ...] = ("family",),
    subjects: tuple[str, ...] = ("123456782",), confirm: bool = True, alert_id: str = "a-1",
) -> int:  # fmt: skip
    """A dossier of one alert with ``reasons``; closed as confirmed misuse unless not
    ``confirm`` (then left under investigation with a pending proposal)."""
    overrides: dict[str, Any] = {"scenarios": scenarios, "subject_bsns": subjects}
    if reasons:
        overrides["reasons"] = reasons
    make_alerts(session, candidate(alert_id, **overrides))
    if confirm:
        close_alert(session, team, alert_id)
    else:
        propose_close(
            session, alert_id=alert_id, user=team.po1, resolution="misbruik_bevestigd",
            note="Lijkt misbruik.", rules=RULES, now=CLOSED_AT,
        )  # fmt: skip
    dossier = create_dossier(
        session, user=team.po1, title="Raadplegingen zonder werkreden", alert_ids=[alert_id],
        now=CLOSED_AT,
    )  # fmt: skip
    return dossier.dossier_id

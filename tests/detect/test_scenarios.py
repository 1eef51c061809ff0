"""Every scenario fires on its misuse and stays quiet on its legitimate look-alike.

The situations are built in ``conftest.py`` on top of a small municipality doing ordinary,
explained work, and detected in one run.
"""

from __future__ import annotations

import pytest

from schildwacht.detect.scenarios import SCENARIOS
from tests.detect.conftest import Detected


def _fired(detected: Detected, scenario: str, employee: str, subject: str | None) -> bool:
    return any(
        f.scenario == scenario
        and f.employee_id == employee
        and (subject is None or f.subject_bsn == subject)
        for f in detected.output.findings
    )


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_scenario_fires_on_misuse(detected: Detected, scenario: str) -> None:
    employee, subject = detected.situations[scenario].positive
    assert _fired(detected, scenario, employee, subject)


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_scenario_is_quiet_on_its_look_alike(detected: Detected, scenario: str) -> None:
    employee, subject = detected.situations[scenario].negative
    assert not _fired(detected, scenario, employee, subject)


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_misuse_becomes_an_alert_with_a_dutch_summary(detected: Detected, scenario: str) -> None:
    employee, subject = detected.situations[scenario].positive
    alerts = [
        a
        for a in detected.output.alerts
        if a.employee_id == employee
        and scenario in a.scenarios
        and (subject is None or subject in a.subject_bsns)
    ]
    assert alerts, f"no alert for {scenario}"
    alert = alerts[0]
    assert 0 < alert.score <= 100
    assert alert.summary_nl[0].isupper() and alert.summary_nl.endswith(".")
    assert alert.event_ids and all(":" in e for e in alert.event_ids)
    assert any(r.scenario == scenario for r in alert.reasons)


def test_ordinary_work_raises_no_alert(detected: Detected) -> None:
    ordinary = {
        a.employee_id for a in detected.output.alerts if a.employee_id.startswith(("balie", "wmo"))
    }
    assert not ordinary


def test_ex_partner_outranks_a_single_unexplained_look(detected: Detected) -> None:
    scores = {a.employee_id: a.score for a in detected.output.alerts}
    assert scores["fam_pos"] > scores.get("cw_neg", 0)
    assert scores["fam_pos"] >= 60

"""Detection runs one after another on a store: stable ids, updates in place, suppressions,
and the run's accountability record.

A small municipality does ordinary work; ``fam_pos`` looks up an ex-partner without a case
and ``self_pos`` opens his own record (alerts from the first run on). ``fam_later`` has an
ex-partner too but looks her up only in events delivered later. The baseline store is
ingested and detected once per module; every test works on its own copy of it (a store is
a folder: files, manifest, database).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

from schildwacht.app.alerts.models import Alert
from schildwacht.app.alerts.service import list_alerts
from schildwacht.app.db import open_database
from schildwacht.app.detection_runs.service import latest_finished_run, list_runs
from schildwacht.app.suppressions.service import add_suppression, amsterdam_today
from schildwacht.config import DATABASE_URL_ENV, load_settings
from schildwacht.detect.runner import DetectionSummary, run_detection
from schildwacht.detect.scenarios import SCENARIOS
from schildwacht.detect.scoring import alert_id
from schildwacht.ingest.pipeline import ingest
from schildwacht.store.store import Store
from tests.detect.world import World, ordinary_work


@dataclass
class Baseline:
    folder: Path  # the world as contract files
    store: Store  # ingested and detected once
    first: DetectionSummary  # the first detection run on it
    ex: str  # fam_pos's ex-partner, looked up in the base data
    later_ex: str  # fam_later's ex-partner, looked up only in later deliveries


def ex_partner(w: World, employee: str, team: str, department: str) -> str:
    """An employee with a known BSN and an ex-partner in the BRP; returns the ex-partner."""
    own, ex = w.citizen("Visser"), w.citizen("Bos")
    w.employee(employee, team=team, department=department, bsn=own)
    w.rows["relations"].append({"bsn": own, "related_bsn": ex, "relation": "ex_partner"})
    return ex


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Baseline]:
    mp = pytest.MonkeyPatch()
    mp.delenv(DATABASE_URL_ENV, raising=False)  # each store keeps its own SQLite database
    w = World()
    ordinary_work(w)
    ex = ex_partner(w, "fam_pos", "Balie", "Burgerzaken")
    w.access("fam_pos", ex, 4, hour=21)
    w.access("fam_pos", ex, 6)
    later_ex = ex_partner(w, "fam_later", "Juridisch", "Bestuurszaken")
    me = w.citizen()
    w.employee("self_pos", bsn=me)
    w.access("self_pos", me, 8, hour=20)  # a second alert, of another employee
    folder = w.write(tmp_path_factory.mktemp("incremental-world"))
    store = Store(tmp_path_factory.mktemp("incremental-baseline") / "store")
    ingest(store, [folder])
    first = run_detection(store)
    yield Baseline(folder, store, first, ex, later_ex)
    mp.undo()


@pytest.fixture
def store(baseline: Baseline, tmp_path: Path) -> Store:
    """A private copy of the baseline store, after its first detection run."""
    copy = tmp_path / "copy"
    shutil.copytree(baseline.store.root, copy)
    return Store(copy)


def alerts(store: Store) -> dict[str, Alert]:
    sessions = open_database(load_settings(store.root))
    with sessions() as session:
        return {a.alert_id: a for a in list_alerts(session)}


def deliver(store: Store, folder: Path, *looks: tuple[str, str, int, int, str]) -> None:
    """Ingest a new events file of ``(employee, subject, day, hour, event_id)`` accesses."""
    w = World()
    for employee, subject, day, hour, event_id in looks:
        w.access(employee, subject, day, hour=hour, event_id=event_id)
    ingest(store, [w.write(folder)])


def about(found: dict[str, Alert], employee: str, subject: str) -> list[Alert]:
    return [a for a in found.values() if a.employee_id == employee and subject in a.subject_bsns]


def test_first_run_stores_the_ex_partner_alert(baseline: Baseline) -> None:
    found = alerts(baseline.store)
    assert baseline.first.counts.new == len(found) >= 2
    assert {a.employee_id for a in found.values()} == {"fam_pos", "self_pos"}
    [alert] = about(found, "fam_pos", baseline.ex)
    assert "family" in alert.scenarios
    assert not about(found, "fam_later", baseline.later_ex)


def test_rerun_on_unchanged_data_changes_nothing(store: Store) -> None:
    before = alerts(store)
    summary = run_detection(store)
    assert summary.counts.new == 0
    assert summary.counts.updated == 0
    assert summary.counts.unchanged == len(before)
    after = alerts(store)
    assert sorted(after) == sorted(before)
    for key, alert in before.items():
        assert after[key].updated_at == alert.updated_at
        assert after[key] == alert  # not even the run id of the last change moved


def test_alert_ids_are_stable_across_a_fresh_store(baseline: Baseline, tmp_path: Path) -> None:
    fresh = Store(tmp_path / "fresh")
    ingest(fresh, [baseline.folder])
    run_detection(fresh)
    old, new = alerts(baseline.store), alerts(fresh)
    assert sorted(new) == sorted(old)
    assert {k: a.evidence_hash for k, a in new.items()} == {
        k: a.evidence_hash for k, a in old.items()
    }


def test_new_evidence_updates_the_existing_alert(
    baseline: Baseline, store: Store, tmp_path: Path
) -> None:
    before = alerts(store)
    [old] = about(before, "fam_pos", baseline.ex)
    deliver(store, tmp_path / "more", ("fam_pos", baseline.ex, 20, 22, "late-look"))
    summary = run_detection(store)
    assert summary.counts.new == 0
    assert summary.counts.updated >= 1
    after = alerts(store)
    assert sorted(after) == sorted(before)  # no twin
    [new] = about(after, "fam_pos", baseline.ex)
    assert new.alert_id == old.alert_id
    assert "brp:late-look" in new.event_ids
    assert set(old.event_ids) < set(new.event_ids)
    assert new.created_at == old.created_at
    assert new.updated_at > old.updated_at
    assert new.last_detection_run_id == summary.run_id
    assert new.status == old.status


def test_a_new_misuse_pair_yields_a_new_alert(
    baseline: Baseline, store: Store, tmp_path: Path
) -> None:
    before = alerts(store)
    deliver(
        store,
        tmp_path / "more",
        ("fam_later", baseline.later_ex, 18, 21, "later-1"),
        ("fam_later", baseline.later_ex, 19, 10, "later-2"),
    )
    summary = run_detection(store)
    assert summary.counts.new >= 1
    after = alerts(store)
    assert set(before) <= set(after)
    [new] = about(after, "fam_later", baseline.later_ex)
    assert new.alert_id not in before
    assert new.alert_id == alert_id("fam_later", f"bsn:{baseline.later_ex}")
    assert "family" in new.scenarios
    assert set(new.event_ids) == {"brp:later-1", "brp:later-2"}
    assert new.created_at == new.updated_at
    assert new.last_detection_run_id == summary.run_id


def suppress(store: Store, **targets: str) -> None:
    sessions = open_database(load_settings(store.root))
    with sessions.begin() as session:
        add_suppression(
            session,
            reason="ex-partner is a client of this team (checked with the manager)",
            expires_on=amsterdam_today() + timedelta(days=30),
            created_by="privacy-officer",
            **targets,
        )


def test_a_suppression_skips_the_finding(baseline: Baseline, store: Store, tmp_path: Path) -> None:
    suppress(store, employee_id="fam_later", scenario="family")
    deliver(
        store,
        tmp_path / "more",
        ("fam_later", baseline.later_ex, 18, 21, "later-1"),
        ("fam_later", baseline.later_ex, 19, 10, "later-2"),
    )
    summary = run_detection(store)
    assert summary.output.suppressed > 0
    assert not [
        f
        for f in summary.output.findings
        if f.scenario == "family" and f.employee_id == "fam_later"
    ]
    after = alerts(store)
    assert all("family" not in a.scenarios for a in about(after, "fam_later", baseline.later_ex))
    [other] = about(after, "fam_pos", baseline.ex)  # the suppression names one employee only
    assert "family" in other.scenarios


def test_an_employee_suppression_leaves_no_new_alert(
    baseline: Baseline, store: Store, tmp_path: Path
) -> None:
    before = alerts(store)
    suppress(store, employee_id="fam_later")
    deliver(
        store,
        tmp_path / "more",
        ("fam_later", baseline.later_ex, 18, 21, "later-1"),
        ("fam_later", baseline.later_ex, 19, 10, "later-2"),
    )
    summary = run_detection(store)
    assert summary.output.suppressed > 0
    assert summary.counts.new == 0
    assert sorted(alerts(store)) == sorted(before)


def test_the_run_record_holds_versions_sql_and_files(
    baseline: Baseline, store: Store, tmp_path: Path
) -> None:
    sessions = open_database(load_settings(store.root))
    with sessions() as session:
        first = latest_finished_run(session)
    assert first is not None
    assert first.run_id == baseline.first.run_id
    assert first.scenario_versions == {code: s.version for code, s in SCENARIOS.items()}
    assert set(first.compiled_sql) == set(SCENARIOS)
    for code, sql in first.compiled_sql.items():
        assert "SELECT" in sql.upper(), code
    first_files = set(store.manifest.tables["events"])
    assert first_files
    assert set(first.event_files) == first_files
    assert first.counts == baseline.first.counts.as_dict()

    deliver(store, tmp_path / "more", ("fam_pos", baseline.ex, 20, 22, "late-look"))
    second = run_detection(store)
    with sessions() as session:
        latest = latest_finished_run(session)
        runs = list_runs(session)
    assert latest is not None
    assert latest.run_id == second.run_id
    assert [r.run_id for r in runs] == [second.run_id, first.run_id]  # newest first
    assert set(latest.event_files) == set(store.manifest.tables["events"])
    assert set(latest.event_files) > first_files  # the new delivery's files too
    assert all((store.root / f).exists() for f in latest.event_files)
    assert latest.counts == second.counts.as_dict()

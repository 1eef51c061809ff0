"""The Dutch standards through the whole pipeline: adapters, validation, store, accounting."""

from __future__ import annotations

import shutil
from pathlib import Path

from schildwacht.ingest.pipeline import ingest
from schildwacht.store.store import Store
from tests.conftest import quarantined, stored

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "adapters"


def test_all_fixtures_account_for_every_record(store: Store) -> None:
    result = ingest(store, [FIXTURES])
    for name, counts in result.tables.items():
        assert counts.read == counts.accepted + counts.duplicates + counts.quarantined, name
    assert set(result.tables) == {"events", "cases", "citizens", "relations"}
    assert result.tables["events"].accepted > 0
    reasons = " ".join(r["reason"] for r in quarantined(store))
    assert "not in the account map" in reasons  # an unknown user account is not guessed
    assert "invalid BSN" in reasons  # adapter rows are validated like any contract row


def test_vng_verwerking_id_names_a_zaak_from_zgw(store: Store) -> None:
    ingest(
        store, [FIXTURES / "vng" / "example.json", FIXTURES / "zgw", FIXTURES / "account_map.csv"]
    )
    events = {r["event_id"]: r for r in stored(store, "events")}
    example = events["7a22eb38-bca6-463f-9955-54ab040287cb"]
    assert example["case_id"] == "ZAAK-2025-0001234"
    assert example["subject_bsn"] == "111222333"


def test_zaak_from_an_earlier_run_still_names_the_case(store: Store, tmp_path: Path) -> None:
    ingest(store, [FIXTURES / "zgw", FIXTURES / "account_map.csv"])
    later = tmp_path / "later"
    later.mkdir()
    shutil.copy(FIXTURES / "vng" / "example.json", later / "acties.json")
    shutil.copy(FIXTURES / "account_map.csv", later / "account_map.csv")
    ingest(store, [later])
    [event] = [
        r
        for r in stored(store, "events")
        if r["event_id"] == "7a22eb38-bca6-463f-9955-54ab040287cb"
    ]
    assert event["case_id"] == "ZAAK-2025-0001234"


def test_reingesting_adapter_files_counts_duplicates(store: Store) -> None:
    first = ingest(store, [FIXTURES / "ldv", FIXTURES / "account_map.csv"])
    again = ingest(store, [FIXTURES / "ldv", FIXTURES / "account_map.csv"])
    assert again.tables["events"].accepted == 0
    assert again.tables["events"].duplicates == first.tables["events"].accepted

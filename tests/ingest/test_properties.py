"""Property: any row either loads or is quarantined; nothing crashes, nothing is lost."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schildwacht.contract import ACTIONS, OUTCOMES, bsn_is_valid
from schildwacht.ingest.pipeline import ingest
from schildwacht.store.store import Store
from tests.conftest import EVENT_HEADER, quarantined, stored, write_csv, write_jsonl

text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
timestamps = st.one_of(
    st.datetimes().map(lambda d: d.isoformat(timespec="seconds")),
    st.datetimes().map(lambda d: d.isoformat(timespec="seconds") + "+02:00"),
    text,
)
bsns = st.one_of(st.from_regex(r"\A[0-9]{9}\Z"), st.just("123456782"), text, st.just(""))
cells = {
    "event_id": st.one_of(text, st.sampled_from(["", "dup"])),
    "occurred_at": timestamps,
    "source_system": st.sampled_from(["brp", "zaaksysteem", ""]),
    "employee_id": st.one_of(text, st.just("e1")),
    "action": st.one_of(st.sampled_from(ACTIONS), text),
    "subject_bsn": bsns,
    "data_categories": st.lists(text, max_size=3).map("|".join),
    "search_terms": text,
    "result_count": st.one_of(st.integers(-5, 10**6).map(str), text),
    "outcome": st.one_of(st.sampled_from([*OUTCOMES, ""]), text),
}
rows = st.lists(st.fixed_dictionaries(cells), min_size=1, max_size=25)


def _tags(raw: str) -> str:
    return str(json.loads(raw)["row_tag"])


def _check_nothing_lost(store: Store, tagged: list[dict[str, str]], table_read: int) -> None:
    result_rows = stored(store, "events")
    kept = {json.loads(r["_extra"])["row_tag"] for r in result_rows}
    rejected = {_tags(r["raw"]) for r in quarantined(store)}
    keys = {(r["source_system"], r["event_id"]) for r in result_rows}
    for row in tagged:  # every row is stored, quarantined, or a duplicate of a stored one
        tag = row["row_tag"]
        assert tag in kept or tag in rejected or (row["source_system"], row["event_id"]) in keys
    assert not kept & rejected
    assert table_read == len(tagged)
    for row in result_rows:  # what was stored obeys the contract
        assert row["action"] in ACTIONS
        assert row["subject_bsn"] is None or bsn_is_valid(row["subject_bsn"])
        assert row["occurred_at"] is not None and row["employee_id"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=rows, fmt=st.sampled_from(["csv", "jsonl"]))
def test_every_row_loads_or_is_quarantined(rows: list[dict[str, str]], fmt: str) -> None:
    tagged = [{**row, "row_tag": f"r{i}"} for i, row in enumerate(rows)]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if fmt == "csv":
            write_csv(folder / "in" / "events.csv", tagged, [*EVENT_HEADER, "row_tag"])
        else:
            write_jsonl(folder / "in" / "events.jsonl", tagged)
        store = Store(folder / "store")
        result = ingest(store, [folder / "in"])
        counts = result.tables["events"]
        assert counts.read == counts.accepted + counts.duplicates + counts.quarantined
        _check_nothing_lost(store, tagged, counts.read)

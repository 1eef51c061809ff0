"""Offset-less (local) timestamps never fall in the DST gap or the repeated hour."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import UTC, date, datetime

import numpy as np
import pytest

from schildwacht.simulate.clock import STYLE_NAIVE, format_instants
from tests.simulate.conftest import Town


def _epoch(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp())


def test_local_time_is_only_written_where_it_is_unambiguous() -> None:
    epochs = np.array([
        _epoch("2026-10-25T00:30:00"),  # 02:30 CEST, first pass through the repeated hour
        _epoch("2026-10-25T01:30:00"),  # 02:30 CET, second pass
        _epoch("2026-10-25T02:30:00"),  # 03:30 CET, unambiguous
        _epoch("2026-03-29T00:59:59"),  # 01:59:59 CET, just before the gap
        _epoch("2026-03-29T01:00:00"),  # 03:00 CEST, just after the gap
    ])  # fmt: skip
    text = format_instants(epochs, np.full(len(epochs), STYLE_NAIVE)).to_pylist()
    assert text == [
        "2026-10-25T02:30:00+02:00",
        "2026-10-25T02:30:00+01:00",
        "2026-10-25T03:30:00",
        "2026-03-29T01:59:59",
        "2026-03-29T03:00:00",
    ]


@pytest.mark.parametrize("start", [date(2026, 3, 24), date(2026, 10, 20)])
def test_simulated_local_times_avoid_dst_changes(
    make_sim: Callable[..., Town], start: date
) -> None:
    folder, _ = make_sim(start=start, days=8)
    change = "2026-03-29T02:" if start.month == 3 else "2026-10-25T02:"
    naive_in_hour, with_offset_in_hour = 0, 0
    for path in sorted(folder.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.reader(handle):
                for cell in row:
                    if cell.startswith(change):
                        if len(cell) == 19:
                            naive_in_hour += 1
                        else:
                            with_offset_in_hour += 1
    assert naive_in_hour == 0
    if start.month == 10:
        assert with_offset_in_hour > 0  # night jobs ran through the repeated hour

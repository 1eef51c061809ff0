"""Same seed and parameters, same bytes; another seed, another town."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from schildwacht.simulate import simulate
from tests.simulate.conftest import SEED, SMALL, Town


def _contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_gives_byte_identical_files(tmp_path: Path, sim_town: Town) -> None:
    again = tmp_path / "again"
    simulate(again, seed=SEED, **SMALL)
    first, second = _contents(sim_town[0]), _contents(again)
    assert first.keys() == second.keys()
    for name in first:
        assert first[name] == second[name], f"{name} differs between two runs with one seed"


def test_other_seed_gives_other_town(make_sim: Callable[..., Town], sim_town: Town) -> None:
    other, _ = make_sim(seed=SEED + 1)
    for name in ("citizens.csv", "employees.csv", "cases.csv", "labels.jsonl"):
        assert (other / name).read_bytes() != (sim_town[0] / name).read_bytes(), name
    events = sorted(p.name for p in other.glob("events*"))
    assert events
    assert (other / events[0]).read_bytes() != (sim_town[0] / events[0]).read_bytes()

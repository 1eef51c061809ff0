"""``schildwacht simulate``: a synthetic municipality with labelled misuse, as a data set.

The town is built in stages (residents, staff, case work, incidents), each from its own
random stream derived from the seed, so the same seed and parameters give byte-identical
files. Events are then generated, written and forgotten one day at a time: every day has
its own stream too, which keeps memory bounded by a day and leaves room to generate days in
parallel or to scale to 100 million events later.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from schildwacht.simulate import tables
from schildwacht.simulate.casework import build_casework
from schildwacht.simulate.clock import Calendar, format_instant
from schildwacht.simulate.identity import NamePools
from schildwacht.simulate.incidents import SCENARIOS, Label, Planner, incident_counts
from schildwacht.simulate.organisation import Organisation, build_organisation
from schildwacht.simulate.population import Population, build_population
from schildwacht.simulate.scenarios import BUILDERS
from schildwacht.simulate.sessions import Events, Renderer
from schildwacht.simulate.workload import Workload
from schildwacht.simulate.writer import DatasetWriter, Format, encode

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class SimulationSummary:
    """What a simulation wrote: rows per contract table, incidents per scenario, duration."""

    out: Path
    rows: dict[str, int]
    incidents: dict[str, int]
    seconds: float
    files: tuple[Path, ...] = field(default=())

    def describe(self) -> str:
        """A few lines for people: rows per table and incidents per scenario."""
        rows = ", ".join(f"{name} {count:,}" for name, count in self.rows.items())
        found = ", ".join(f"{name} {count}" for name, count in self.incidents.items())
        return (
            f"{self.out} in {self.seconds:.1f} s\nrows: {rows}\n"
            f"labelled incidents ({sum(self.incidents.values())}): {found}"
        )


def simulate(
    out: Path,
    *,
    seed: int = 42,
    employees: int = 1500,
    citizens: int = 120_000,
    days: int = 60,
    start: date = date(2026, 1, 5),
    fmt: Format = "csv",
    progress: Progress | None = None,
) -> SimulationSummary:
    """Generate a municipality into the folder ``out`` and return what was written.

    Writes one file per contract table (events in monthly parts) plus ``labels.jsonl``.
    Raises ``ValueError`` for parameters too small to hold every team and scenario.
    """
    if employees < 40 or citizens < 1000 or days < 7:
        raise ValueError("simulate needs employees >= 40, citizens >= 1000 and days >= 7")
    if citizens < 20 * employees:
        raise ValueError("simulate needs at least 20 citizens per employee (staff live in town)")
    began = time.perf_counter()
    report = progress or (lambda stage, done, total: None)
    streams = [
        np.random.Generator(np.random.PCG64(s)) for s in np.random.SeedSequence(seed).spawn(6)
    ]
    day_seeds = np.random.SeedSequence([seed, 1]).spawn(days)
    cal = Calendar(start, days)
    pools = NamePools.from_faker(seed)
    pop = build_population(streams[0], citizens, start, days, pools)
    report("population", 1, 4)
    org = build_organisation(streams[1], employees, pop, cal, pools)
    report("organisation", 2, 4)
    cw = build_casework(streams[2], pop, org, cal)
    report("casework", 3, 4)
    render = Renderer(pop, org, cal, cw.sub_start, cw.sub_count, cw.subject)
    work = Workload(pop, org, cal, cw, render)
    planner = Planner(streams[3], pop, org, cal, cw, work, render)
    misuse, labels = planner.finish(BUILDERS, incident_counts(employees, days))
    report("incidents", 4, 4)

    writer = DatasetWriter(out, fmt)
    rows: dict[str, int] = {}
    try:
        rows["events"] = _write_events(writer, streams[4], day_seeds, work, misuse, fmt, report)
        fmt_rng = streams[5]
        context = {
            "employees": tables.employees(pop, org, cal),
            "cases": tables.cases(fmt_rng, pop, org, cw),
            "appointments": tables.appointments(fmt_rng, pop, org, cw),
            "citizens": tables.citizens(pop),
            "relations": tables.relations(pop),
            "watchlist": tables.watchlist(pop),
        }
        for name, columns in context.items():
            table = encode(name, columns, fmt)
            writer.write(name, table)
            rows[name] = table.num_rows
        writer.write_labels([_label_line(label, pop, org) for label in labels])
    finally:
        writer.close()
    rows["labels"] = len(labels)
    per_scenario = {s: sum(1 for x in labels if x.scenario == s) for s in SCENARIOS}
    return SimulationSummary(
        out, rows, per_scenario, time.perf_counter() - began, tuple(writer.files)
    )


def _write_events(
    writer: DatasetWriter,
    rng: np.random.Generator,
    day_seeds: list[np.random.SeedSequence],
    work: Workload,
    misuse: Events,
    fmt: Format,
    report: Progress,
) -> int:
    """Generate, merge with injected misuse, sort and write the events day by day."""
    cal = work.cal
    encoder = tables.EventEncoder(rng, work.pop, work.org, work.cw)
    misuse_day = cal.day_of(misuse.time)
    total = 0
    for d in range(cal.days):
        day_rng = np.random.Generator(np.random.PCG64(day_seeds[d]))
        events = Events.concat([work.day(day_rng, d), misuse.take(np.flatnonzero(misuse_day == d))])
        events = events.take(np.lexsort((events.emp, events.system, events.time)))
        table = encode("events", encoder.columns(day_rng, events), fmt)
        writer.write("events", table, part=str(cal.dates(np.array([d]))[0])[:7])
        total += table.num_rows
        report("events", d + 1, cal.days)
    return total


def _label_line(label: Label, pop: Population, org: Organisation) -> dict[str, object]:
    """One ``labels.jsonl`` object, with times in ISO 8601 with the Amsterdam offset."""
    return {
        "incident_id": label.incident_id,
        "scenario": label.scenario,
        "employee_id": str(org.employee_id[label.employee]),
        "subject_bsns": [str(pop.bsn[c]) for c in label.subjects],
        "start": format_instant(label.start),
        "end": format_instant(label.end),
    }

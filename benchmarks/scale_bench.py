"""Scale benchmark: ingest and detection at 1, 10 and 100 million events, DuckDB within 4 GB.

Run with ``make bench-scale`` or ``python -m benchmarks.scale_bench [--sizes 1e6,1e7,1e8]
[--dir bench-data/scale] [--engines duckdb,spark]``. For every size it

1. simulates a municipality of about that many events, once (``<dir>/<size>/town``, marked
   ``.complete`` and reused by later runs). The simulator writes events one day at a time, so
   its memory is bounded by one day plus the town itself, never by the event count. Towns
   grow in staff *and* in time, each by the square root of the size step (1 M: 1,000
   employees for 49 days; 100 M: 10,000 employees and 800,000 residents for about
   17 months), so every step scales the same way;
2. ingests it into a fresh store with ``schildwacht ingest`` and
3. detects with ``schildwacht detect`` (and ``--engine spark`` in local mode up to
   ``--spark-max``, when the command has that option),

each in a child process with ``SCHILDWACHT_MEMORY_LIMIT`` (4 GB unless ``--memory-limit``
says otherwise); DuckDB spills what does not fit into the store's ``tmp/duckdb`` folder.
It measures wall seconds, the peak resident memory of the process tree (sampled from
``/proc``, so Spark's JVM counts too) and of the largest single process (``getrusage``),
events per second, and the growth factor against the previous size: (time ratio) / (size
ratio), so 1.0 is linear and below 1.0 better than linear. It prints a Markdown table and
writes every figure to ``<dir>/results.json``. Figures depend on the machine and on what
else runs on it; the table states the core count.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import resource
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

EVENTS_PER_EMPLOYEE_DAY = 20.5
"""What the simulator writes per employee and calendar day: 21 over the first 50 days of
the year, 19.9 over 154 days; used to size a town."""
EVENTS_PER_EMPLOYEE_DAY_LONG = 19.4
"""The same over more than 200 days (summer and Christmas holidays weigh in)."""

BYTES_PER_EVENT = 185  # CSV on disk, about 1.7 GB for 10 million events incl. context
SEED = 1


@dataclass(frozen=True)
class Town:
    """The simulator's parameters for about ``target`` events."""

    target: int
    employees: int
    citizens: int
    days: int


def town_for(target: int) -> Town:
    """Staff and days both grow with the square root of the size (1 M: 1,000 x 49 days)."""
    employees = max(40, round(1000 * math.sqrt(target / 1e6)))
    citizens = max(1000, 80 * employees)
    days = max(7, round(target / (EVENTS_PER_EMPLOYEE_DAY * employees)))
    if days > 200:
        days = round(target / (EVENTS_PER_EMPLOYEE_DAY_LONG * employees))
    return Town(target, employees, citizens, days)


def label(size: int) -> str:
    """``1m``, ``10m``, ``100m``, ``50k``: a folder name and a table label."""
    if size >= 1_000_000 and size % 1_000_000 == 0:
        return f"{size // 1_000_000}m"
    if size >= 1_000 and size % 1_000 == 0:
        return f"{size // 1_000}k"
    return str(size)


def generate(town: Town, out: Path, fmt: str = "csv") -> dict[str, object]:
    """Simulate ``town`` into ``out`` (in a child process) unless a finished one is there.

    The simulator generates, writes and forgets one day of events at a time. Returns the
    simulation's row counts, seconds and peak memory, kept in ``out/.complete``.
    """
    marker = out / ".complete"
    if marker.exists():
        done = json.loads(marker.read_text())
        if done.get("town") == asdict(town) and done.get("format") == fmt:
            return dict(done, reused=True)
    shutil.rmtree(out, ignore_errors=True)
    need = town.target * BYTES_PER_EVENT
    free = shutil.disk_usage(out.parent if out.parent.exists() else Path.cwd()).free
    if free - need < 25e9:
        raise SystemExit(
            f"not enough disk for {town.target:,} events: about {need / 1e9:.0f} GB needed, "
            f"{free / 1e9:.0f} GB free (keeping 25 GB for the store and spilling)"
        )
    args = [
        "simulate",
        "--out",
        str(out),
        "--seed",
        str(SEED),
        "--employees",
        str(town.employees),
        "--citizens",
        str(town.citizens),
        "--days",
        str(town.days),
        "--format",
        fmt,
    ]
    run = _measured(args, {})
    found = re.search(r"events ([\d,]+)", run.output)
    events = int(found.group(1).replace(",", "")) if found else None
    info: dict[str, object] = {
        "town": asdict(town),
        "format": fmt,
        "events": events,
        "seconds": run.seconds,
        "peak_mb": run.peak_mb,
        "bytes": sum(p.stat().st_size for p in out.iterdir() if p.is_file()),
    }
    marker.write_text(json.dumps(info))
    return dict(info, reused=False)


@dataclass
class Run:
    """One measured child process."""

    seconds: float
    peak_mb: float  # the process tree, sampled
    max_process_mb: float  # the largest single process, from getrusage
    output: str
    cpu_seconds: float = 0.0  # user + system time of the child and its waited-for children
    load: tuple[float, float] = (0.0, 0.0)  # 1-minute load average before and after
    spill_bytes: int = 0  # the most DuckDB's spill folder held, sampled each second


class _TreeSampler(threading.Thread):
    """Samples the summed resident memory of a process and its descendants from /proc."""

    def __init__(self, pid: int, spill: Path | None = None, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak_kb = pid, interval, 0
        self.spill, self.peak_spill = spill, 0
        self._halt = threading.Event()

    def run(self) -> None:
        tick = 0
        while not self._halt.is_set():
            self.peak_kb = max(self.peak_kb, _tree_rss_kb(self.pid))
            if self.spill is not None and tick % 5 == 0:
                self.peak_spill = max(self.peak_spill, _dir_bytes(self.spill))
            tick += 1
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join()


def _tree_rss_kb(root: int) -> int:
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as handle:
                stat = handle.read()
            with open(f"/proc/{entry.name}/statm") as handle:
                pages = int(handle.read().split()[1])
        except (OSError, ValueError, IndexError):
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        pid = int(entry.name)
        parents[pid] = int(fields[1])
        rss[pid] = pages * (os.sysconf("SC_PAGE_SIZE") // 1024)
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, ppid in parents.items():
            if ppid == parent and pid not in tree:
                tree.add(pid)
                frontier.append(pid)
    return sum(rss.get(pid, 0) for pid in tree)


def _dir_bytes(folder: Path) -> int:
    """Bytes in the files under ``folder`` (files may vanish while we look)."""
    total = 0
    for path in folder.rglob("*"):
        try:
            total += path.stat().st_size if path.is_file() else 0
        except OSError:
            continue
    return total


def _measured(args: list[str], env: dict[str, str], spill: Path | None = None) -> Run:
    """Run ``schildwacht ARGS`` in a child process: wall seconds and peak memory."""
    cmd = [sys.executable, "-m", "schildwacht.cli", *args]
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before, cpu_before = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    child = subprocess.Popen(
        cmd,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    sampler = _TreeSampler(child.pid, spill)
    sampler.start()
    out, err = child.communicate()
    seconds = time.perf_counter() - started
    sampler.stop()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    after, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime - cpu_before
    if child.returncode != 0:
        raise SystemExit(f"schildwacht {' '.join(args)} failed ({child.returncode}):\n{err}")
    # ru_maxrss of the children is a running maximum: a child smaller than an earlier one
    # leaves it unchanged, so the sampled tree figure is the one to trust for each run.
    largest = after / 1024 if after > before else sampler.peak_kb / 1024
    peak = max(sampler.peak_kb / 1024, largest)
    load = (load_before, os.getloadavg()[0])
    return Run(seconds, peak, largest, out, cpu, load, sampler.peak_spill)


@dataclass
class Measurement:
    """One stage (ingest or detect on an engine) at one size."""

    size: str
    events: int
    stage: str
    seconds: float
    peak_mb: float
    max_process_mb: float
    events_per_second: float
    growth: float | None = None
    detail: dict[str, object] = field(default_factory=dict)


def spark_available() -> bool:
    """Whether ``schildwacht detect`` has ``--engine`` (with spark) on this checkout."""
    done = subprocess.run(
        [sys.executable, "-m", "schildwacht.cli", "detect", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    return "--engine" in done.stdout


def bench_size(
    size: int,
    root: Path,
    engines: list[str],
    limit: str,
    spark_max: int,
    fmt: str,
    reingest: bool = True,
) -> tuple[list[Measurement], dict[str, object]]:
    """Generate (once), ingest and detect at one size; the measurements and the town info.

    With ``reingest`` False the store an earlier run ingested is reused and only detection
    is measured: to re-measure detection after a change to it, without an hour of ingest.
    """
    name = label(size)
    base = root / name
    base.mkdir(parents=True, exist_ok=True)
    town = generate(town_for(size), base / "town", fmt)
    store = base / "store"
    env = {"SCHILDWACHT_MEMORY_LIMIT": limit}
    spill = store / "tmp" / "duckdb"
    results: list[Measurement] = []
    if reingest or not (store / "manifest.json").exists():
        results.append(_ingest(name, base, store, env, spill))
    # the events ingest read; the simulator's own count when the store is reused
    events = results[0].events if results else int(str(town["events"]))
    for engine in engines:
        if engine == "spark" and size > spark_max:
            continue
        for leftover in ("schildwacht.db", "schildwacht.toml"):
            (store / leftover).unlink(missing_ok=True)
        args = ["--store", str(store), "detect", "--json"]
        if engine != "duckdb":
            args += ["--engine", engine]
        # DuckDB spills into tmp/duckdb; Spark's local mode keeps its shuffles in tmp/spark
        run = _measured(args, env, spill if engine == "duckdb" else store / "tmp")
        detected = json.loads(run.output)
        results.append(
            Measurement(
                name,
                events,
                f"detect ({engine})",
                run.seconds,
                run.peak_mb,
                run.max_process_mb,
                events / run.seconds,
                detail={
                    "alerts": detected.get("alerts"),
                    "stages": detected.get("seconds"),
                    "cpu_seconds": run.cpu_seconds,
                    "load": run.load,
                    "spill_peak_bytes": run.spill_bytes,
                },
            )
        )
        _progress(results[-1])
    return results, town


def _ingest(name: str, base: Path, store: Path, env: dict[str, str], spill: Path) -> Measurement:
    """Ingest the town into a fresh store, measured."""
    shutil.rmtree(store, ignore_errors=True)
    ingest = _measured(["--store", str(store), "ingest", str(base / "town"), "--json"], env, spill)
    summary = json.loads(ingest.output)
    events = int(summary["events"]["read"])
    measured = Measurement(
        name,
        events,
        "ingest",
        ingest.seconds,
        ingest.peak_mb,
        ingest.max_process_mb,
        events / ingest.seconds,
        detail={
            "summary": summary,
            "cpu_seconds": ingest.cpu_seconds,
            "load": ingest.load,
            "spill_peak_bytes": ingest.spill_bytes,
        },
    )
    _progress(measured)
    return measured


def _progress(m: Measurement) -> None:
    print(
        f"  {m.size:>5} {m.stage:<16} {m.events:>12,} events {m.seconds:8.1f} s "
        f"{m.peak_mb:8,.0f} MB {m.events_per_second:>10,.0f} ev/s "
        f"(cpu {m.detail.get('cpu_seconds', 0):.0f} s, load {m.detail.get('load')})",
        flush=True,
    )


def add_growth(results: list[Measurement]) -> None:
    """Growth factor per stage: (seconds ratio) / (events ratio) against the previous size."""
    previous: dict[str, Measurement] = {}
    for m in results:
        before = previous.get(m.stage)
        if before is not None:
            m.growth = (m.seconds / before.seconds) / (m.events / before.events)
        previous[m.stage] = m


def table(results: list[Measurement]) -> str:
    """The results as a Markdown table."""
    lines = [
        "| size | stage | events | seconds | CPU s | peak memory | events/s | growth factor |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for m in results:
        growth = f"{m.growth:.2f}" if m.growth is not None else "-"
        cpu = m.detail.get("cpu_seconds")
        cpu_text = f"{cpu:,.0f}" if isinstance(cpu, float | int) else "-"
        lines.append(
            f"| {m.size.upper()} | {m.stage} | {m.events:,} | {m.seconds:,.1f} | {cpu_text} | "
            f"{m.peak_mb / 1024:.2f} GiB | {m.events_per_second:,.0f} | {growth} |"
        )
    return "\n".join(lines)


def _sizes(text: str) -> list[int]:
    return [int(float(part)) for part in text.split(",") if part.strip()]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scale_bench")
    parser.add_argument("--sizes", default="1e6,1e7,1e8", help="event counts, comma-separated")
    parser.add_argument("--dir", default="bench-data/scale", type=Path, help="data folder")
    parser.add_argument("--engines", default="duckdb,spark", help="detect engines to measure")
    parser.add_argument("--memory-limit", default="4GB", help="SCHILDWACHT_MEMORY_LIMIT")
    parser.add_argument("--spark-max", default="1e7", help="largest size to run Spark at")
    parser.add_argument("--format", default="csv", choices=["csv", "parquet"])
    parser.add_argument("--results", type=Path, help="results file (default: <dir>/results.json)")
    parser.add_argument(
        "--keep-stores",
        action="store_true",
        help="detect on the stores an earlier run ingested (measures detection only)",
    )
    parser.add_argument(
        "--generate-only", action="store_true", help="only simulate the towns (for a later run)"
    )
    opts = parser.parse_args(argv)
    root: Path = opts.dir
    root.mkdir(parents=True, exist_ok=True)
    if opts.generate_only:
        for size in _sizes(opts.sizes):
            (root / label(size)).mkdir(parents=True, exist_ok=True)
            town = generate(town_for(size), root / label(size) / "town", opts.format)
            print(f"{label(size)}: {json.dumps(town)}", flush=True)
        return
    engines = [e.strip() for e in opts.engines.split(",") if e.strip()]
    notes: list[str] = []
    if "spark" in engines and not spark_available():
        engines.remove("spark")
        notes.append("Spark not measured: `schildwacht detect` has no --engine option here.")
    cores = os.cpu_count()
    print(f"Scale benchmark on {cores} cores, memory limit {opts.memory_limit}", flush=True)
    for note in notes:
        print(f"  {note}")
    results: list[Measurement] = []
    towns: dict[str, object] = {}
    out: Path = opts.results or root / "results.json"
    for size in _sizes(opts.sizes):
        measured, town = bench_size(
            size,
            root,
            engines,
            opts.memory_limit,
            int(float(opts.spark_max)),
            opts.format,
            reingest=not opts.keep_stores,
        )
        results += measured
        towns[label(size)] = town
        add_growth(results)
        out.write_text(
            json.dumps(
                {
                    "date": datetime.now(UTC).isoformat(timespec="seconds"),
                    "cores": cores,
                    "memory_limit": opts.memory_limit,
                    "python": sys.version.split()[0],
                    "notes": notes,
                    "towns": towns,
                    "results": [asdict(m) for m in results],
                },
                indent=2,
            )
        )
    print()
    print(table(results))
    print(f"\n{cores} cores, DuckDB memory limit {opts.memory_limit}; figures in {out}")


if __name__ == "__main__":
    main()

"""Detection quality on the project's own simulator: default towns, five seeds.

Run with ``make quality`` (several minutes). For every seed it simulates the default town,
ingests it, detects, and evaluates the alerts against ``labels.jsonl`` with the contract's
matching rule, at K = incidents and K = twice that. It prints the figures per seed, the mean,
and per scenario summed over the seeds, as Markdown tables for docs/detection.md.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections import defaultdict
from pathlib import Path

from schildwacht.app.alerts.service import list_alerts
from schildwacht.app.db import open_database
from schildwacht.config import load_settings
from schildwacht.detect.evaluate import Quality, evaluate, read_labels, scored
from schildwacht.detect.runner import run_detection
from schildwacht.ingest.pipeline import ingest
from schildwacht.simulate import simulate
from schildwacht.store.store import Store

ROOT = Path(os.environ.get("BENCH_DIR", "bench-data")) / "quality"
SEEDS = [int(s) for s in os.environ.get("QUALITY_SEEDS", "1,2,3,4,5").split(",")]


def run_seed(seed: int) -> list[Quality]:
    town, store_dir = ROOT / f"town-{seed}", ROOT / f"store-{seed}"
    shutil.rmtree(store_dir, ignore_errors=True)
    if not (town / ".complete").exists():
        simulate(town, seed=seed)
        (town / ".complete").write_text("ok")
    store = Store(store_dir)
    ingest(store, [town])
    run_detection(store)
    with open_database(load_settings(store.root))() as session:
        alerts = scored(list_alerts(session))
    return evaluate(alerts, read_labels(town))


def main() -> None:
    per_seed = {seed: run_seed(seed) for seed in SEEDS}
    print("| seed | incidents | recall@K | precision@K | recall@2K | precision@2K |")
    print("|---|---|---|---|---|---|")
    for seed, (k1, k2) in per_seed.items():
        print(
            f"| {seed} | {k1.k} | {k1.recall:.2f} | {k1.precision:.2f} | "
            f"{k2.recall:.2f} | {k2.precision:.2f} |"
        )
    n = len(per_seed)
    mean = [sum(q[i].recall for q in per_seed.values()) / n for i in (0, 1)]
    prec = [sum(q[i].precision for q in per_seed.values()) / n for i in (0, 1)]
    print(f"| mean | | {mean[0]:.2f} | {prec[0]:.2f} | {mean[1]:.2f} | {prec[1]:.2f} |")
    found: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for k1, k2 in per_seed.values():
        for scenario, (recall1, _, count) in k1.per_scenario.items():
            recall2 = k2.per_scenario[scenario][0]
            found[scenario][0] += count
            found[scenario][1] += recall1 * count
            found[scenario][2] += recall2 * count
    print("\n| scenario | incidents (all seeds) | recall@K | recall@2K |\n|---|---|---|---|")
    for scenario, (count, hit1, hit2) in sorted(found.items()):
        print(f"| {scenario} | {count:.0f} | {hit1 / count:.2f} | {hit2 / count:.2f} |")
    sys.stdout.flush()


if __name__ == "__main__":
    main()

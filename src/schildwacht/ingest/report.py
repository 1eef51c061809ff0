"""The readable summary of an ingest run (the ``--json`` form is ``IngestResult.as_dict``)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from schildwacht.contract import TABLES
from schildwacht.ingest.pipeline import IngestResult


def print_summary(console: Console, result: IngestResult) -> None:
    """Per table: read = accepted + duplicates + quarantined, plus replaced snapshot rows."""
    table = Table(title=f"Ingest run {result.run_id} ({result.seconds:.1f} s)")
    for col in ("table", "read", "accepted", "duplicates", "quarantined", "replaced"):
        table.add_column(col, justify="left" if col == "table" else "right")
    for name, counts in result.tables.items():
        replaced = f"{counts.replaced:,}" if TABLES[name].is_snapshot else ""
        table.add_row(
            name,
            f"{counts.read:,}",
            f"{counts.accepted:,}",
            f"{counts.duplicates:,}",
            f"{counts.quarantined:,}",
            replaced,
        )
    console.print(table)
    quarantined = sum(c.quarantined for c in result.tables.values())
    if quarantined:
        console.print(f"{quarantined:,} records quarantined: see 'schildwacht quarantine list'.")
    for path in result.labels_skipped:
        console.print(f"Ground truth {path} recognised and not ingested.")
    for key, count in sorted(result.auxiliary.items()):
        console.print(f"Source records used or set aside by adapters, {key}: {count:,}")
    for note in result.notes:
        console.print(note)

"""Adapters for Dutch log and register standards, and how ingest finds the right one.

Each adapter module exposes the same small interface (``Adapter``): a ``FORMAT`` name, the
``ROLES`` its files can play and the ``TABLES`` it writes, ``sniff(first)`` to recognise a
file's role from its first JSON value, and ``convert(files, ctx)`` which takes *all* files of
its format in one run, grouped by role, because some formats only make sense joined (LDV
spans with access decisions, ZGW zaken with rollen).

Typical use by the pipeline::

    for path in json_files:
        first = next((v for _, v in load_json_values(path)), None)
        match = sniff_format(first)            # ("zgw-zaken", "rollen") or None
    ...
    output = ADAPTERS[fmt].convert({"zaken": [...], "rollen": [...]}, ctx)
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from schildwacht.ingest.adapters import (
    brp_personen,
    logboek_dataverwerkingen,
    vng_verwerkingenlogging,
    zgw_zaken,
)
from schildwacht.ingest.adapters._reading import first_record, load_json_values
from schildwacht.ingest.adapters.base import AdapterContext, AdapterOutput

__all__ = ["ADAPTERS", "Adapter", "first_record", "load_json_values", "sniff_format"]


class Adapter(Protocol):
    """What every adapter module provides (modules satisfy this protocol structurally)."""

    FORMAT: str
    ROLES: tuple[str, ...]
    TABLES: tuple[str, ...]

    def sniff(self, first: object) -> str | None:
        """The file's role within this format, given its first JSON value; None if not ours."""

    def convert(self, files: dict[str, list[Path]], ctx: AdapterContext) -> AdapterOutput:
        """Contract rows, rejects and auxiliary counts for all files of one run, by role."""


ADAPTERS: dict[str, Adapter] = {
    module.FORMAT: module
    for module in (
        vng_verwerkingenlogging,
        logboek_dataverwerkingen,
        zgw_zaken,
        brp_personen,
    )
}
"""Every adapter by ``FORMAT`` name."""


def sniff_format(first: object) -> tuple[str, str] | None:
    """(format, role) of the first adapter that recognises ``first``, else None.

    The sniffers look for keys that only their standard uses, so at most one answers; a
    contract table in JSONL (``event_id``, ``bsn``, …) is recognised by none of them.
    """
    for fmt, adapter in ADAPTERS.items():
        role = adapter.sniff(first)
        if role is not None:
            return fmt, role
    return None

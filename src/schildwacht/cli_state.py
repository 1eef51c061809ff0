"""The global CLI options, in a module of their own.

Commands in other modules read the store from here. It cannot live in ``cli.py``: run as
``python -m schildwacht.cli`` that module is ``__main__``, and importing ``schildwacht.cli``
elsewhere would create a second copy with its own, unset state.
"""

from __future__ import annotations

from pathlib import Path

from schildwacht.store.store import Store


class State:
    """Set by the top-level ``--store`` option before any command runs."""

    store: Store = Store(Path("schildwacht-data"))

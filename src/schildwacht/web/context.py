"""Everything a request needs from the store, built once when the app starts.

Routes receive it from ``request.app.state.ctx``; tests build their own on a temporary store.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy.orm import Session, sessionmaker

from schildwacht.app.audit.settings_changes import record_settings
from schildwacht.app.db import open_database
from schildwacht.app.people.pseudonyms import Pseudonymiser, key_path, load_or_create_key
from schildwacht.config import Settings, load_settings
from schildwacht.store.store import Store

T = TypeVar("T")


@dataclass
class WebContext:
    store: Store
    settings: Settings
    sessions: sessionmaker[Session]
    pseudonym: Pseudonymiser
    _cache: dict[str, tuple[float, Any]] = field(default_factory=dict, repr=False)

    def cached(self, key: str, seconds: float, compute: Callable[[], T]) -> T:
        """``compute()``, remembered for ``seconds``: for menus whose contents change
        rarely (the departments in the queue's filter), not for anything a decision uses."""
        now = time.monotonic()
        hit = self._cache.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
        value = compute()
        self._cache[key] = (now + seconds, value)
        return value

    @classmethod
    def open(cls, store_root: Path) -> WebContext:
        """Settings, migrated database and the pseudonym key (created on first start)."""
        settings = load_settings(store_root)
        ctx = cls(
            store=Store(store_root),
            settings=settings,
            sessions=open_database(settings),
            pseudonym=Pseudonymiser(load_or_create_key(key_path(store_root))),
        )
        with ctx.tx() as db:
            record_settings(db, settings=settings, actor="system:web")
        return ctx

    @contextmanager
    def tx(self) -> Iterator[Session]:
        """One transaction: committed when the block ends normally, rolled back otherwise."""
        with self.sessions.begin() as session:
            yield session

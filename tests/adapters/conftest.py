"""Fixtures for the adapter tests: the fixture account map and a context factory."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from schildwacht.ingest.adapters.base import AccountMap, AdapterContext

from .helpers import FIXTURES


@pytest.fixture
def account_map() -> AccountMap:
    return AccountMap.from_csv(FIXTURES / "account_map.csv")


@pytest.fixture
def make_ctx(account_map: AccountMap) -> Callable[..., AdapterContext]:
    """An AdapterContext with the fixture account map; keyword arguments set other fields."""

    def make(**fields: object) -> AdapterContext:
        ctx = AdapterContext(account_map=account_map)
        for name, value in fields.items():
            setattr(ctx, name, value)
        return ctx

    return make

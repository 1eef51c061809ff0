"""Scenarios describe themselves; their metadata must be complete and the docs current.

Fast by design: only the scenario objects are inspected, no detection runs.
"""

from __future__ import annotations

import importlib
import math
import re
from pathlib import Path

import pytest

from schildwacht.config import SCENARIO_CODES
from schildwacht.detect.scenario_docs import render
from schildwacht.detect.scenarios import SCENARIOS

DOCS = Path(__file__).resolve().parents[2] / "docs"
SCENARIOS_MD = DOCS / "scenarios.md"
REGENERATE = "run python -m schildwacht.detect.scenario_docs > docs/scenarios.md"

SNAKE_CASE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
VERSION = re.compile(r"\d+\.\d+")

# The contract's codes first, then any registry key the contract lacks, so that a code
# missing on either side shows up as its own failing case.
ALL_CODES = [*SCENARIO_CODES, *(code for code in SCENARIOS if code not in SCENARIO_CODES)]


def test_scenario_reference_is_current() -> None:
    assert SCENARIOS_MD.read_text(encoding="utf-8") == render(), (
        f"docs/scenarios.md is stale: {REGENERATE}"
    )


@pytest.mark.parametrize("code", ALL_CODES)
def test_scenario_metadata(code: str) -> None:
    assert code in SCENARIO_CODES, f"{code} is registered but not a contract scenario code"
    assert code in SCENARIOS, f"contract scenario code {code} has no scenario"
    s = SCENARIOS[code]
    assert s.code == code, f"registered as {code} but its code is {s.code}"

    assert VERSION.fullmatch(s.version), f"{code}: version {s.version!r} is not like 1.0"

    for name in ("title_nl", "title_en", "description_nl", "description_en"):
        value = getattr(s, name)
        assert isinstance(value, str) and value.strip(), f"{code}: {name} is empty"
    assert s.title_nl != s.title_en, f"{code}: Dutch and English titles are the same"
    assert s.description_nl != s.description_en, (
        f"{code}: Dutch and English descriptions are the same"
    )

    for part in ("investigate", "false_positives", "response"):
        items = getattr(s.triage, part)
        assert len(items) >= 1, f"{code}: triage.{part} is empty"
        assert all(isinstance(i, str) and i.strip() for i in items), (
            f"{code}: triage.{part} has an empty item"
        )

    assert isinstance(s.params, dict), f"{code}: params is not a dict"
    for name, value in s.params.items():
        assert isinstance(name, str) and SNAKE_CASE.fullmatch(name), (
            f"{code}: parameter {name!r} is not snake_case"
        )
        assert isinstance(value, int | float | str | bool), (
            f"{code}: parameter {name} = {value!r} is not an int, float, str or bool"
        )
        if isinstance(value, float):
            assert math.isfinite(value), f"{code}: parameter {name} = {value!r} is not finite"

    assert callable(s.expression), f"{code}: expression is not callable"
    assert callable(s.assess), f"{code}: assess is not callable"

    module = importlib.import_module(s.expression.__module__)
    assert getattr(module, "SCENARIO", None) is s, f"{code}: {module.__name__} does not define it"
    assert (module.__doc__ or "").strip(), f"{code}: module {module.__name__} has no docstring"


def test_every_scenario_is_in_the_docs() -> None:
    text = SCENARIOS_MD.read_text(encoding="utf-8")
    for code in SCENARIOS:
        assert f"(`{code}`)" in text, f"{code} is not in docs/scenarios.md: {REGENERATE}"

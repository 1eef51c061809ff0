"""Generate ``docs/scenarios.md`` from the scenarios' own metadata.

Each scenario already carries its titles, descriptions, parameters and triage guide, so the
reference page is rendered from them instead of written by hand: a privacy officer reads the
same words the code carries, and the page cannot drift from it, because
``tests/detect/test_scenario_metadata.py`` fails when the committed page differs from what
this module renders. Regenerate with
``python -m schildwacht.detect.scenario_docs > docs/scenarios.md``.
"""

from __future__ import annotations

import json

from schildwacht.detect.scenarios import SCENARIOS
from schildwacht.detect.scenarios.base import Scenario

HEADER = """# Scenarios

Generated from the code by `python -m schildwacht.detect.scenario_docs > docs/scenarios.md`;
do not edit by hand.

Each scenario below finds evidence of one kind of misuse. Most scenarios produce findings per
(employee, citizen) pair; the volume scenarios (harvesting, browsing, bulk, leaver) produce
findings per employee. Every finding is worth points, and findings are combined into alerts:
one per pair, or one per employee and volume scenario. Within an alert the strongest finding
counts fully and further ones less, and the points map to a score from 0 to 100 that means
the same across alerts, runs and municipalities. Modifiers adjust a finding's weight: access
outside office hours, to sensitive data categories, with an export or print, with changes to
the record, or to the record of a minor raises it; access to the record of a deceased person
lowers it, because after-death administration is normal work.

Parameters can be overridden per municipality in a `[scenarios.<code>]` table of
`schildwacht.toml` (see [settings](settings.md)); the tables below list the defaults.
"""


def _cell(text: str) -> str:
    """Text that is safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def _default(value: object) -> str:
    """A parameter default as it would be written in ``schildwacht.toml``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return repr(value)


def _bullets(title: str, items: tuple[str, ...]) -> list[str]:
    return [f"**{title}**", "", *(f"- {item}" for item in items), ""]


def _section(scenario: Scenario) -> list[str]:
    lines = [
        f"## {scenario.title_nl} (`{scenario.code}`)",
        "",
        f"*{scenario.title_en}*, version {scenario.version}",
        "",
        scenario.description_nl,
        "",
        scenario.description_en,
        "",
    ]
    if scenario.params:
        lines += ["| parameter | default |", "|---|---|"]
        lines += [
            f"| `{_cell(name)}` | `{_cell(_default(value))}` |"
            for name, value in scenario.params.items()
        ]
        lines.append("")
    else:
        lines += ["This scenario has no parameters.", ""]
    lines += _bullets("Onderzoeksstappen", scenario.triage.investigate)
    lines += _bullets("Bekende fout-positieven", scenario.triage.false_positives)
    lines += _bullets("Respons", scenario.triage.response)
    return lines


def render() -> str:
    """The Markdown reference of every scenario, in registry (DETECTION.md) order."""
    lines = [HEADER]
    for scenario in SCENARIOS.values():
        lines += _section(scenario)
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    print(render(), end="")

"""The command reference is generated from the code and must be current."""

from pathlib import Path

from schildwacht.cli_docs import render

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_cli_reference_is_current() -> None:
    assert (DOCS / "cli.md").read_text(encoding="utf-8") == render(), (
        "docs/cli.md is stale: run python -m schildwacht.cli_docs > docs/cli.md"
    )


def test_every_command_is_in_the_readme() -> None:
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    for line in render().splitlines():
        if line.startswith("## `schildwacht "):
            command = line.removeprefix("## `").removesuffix("`")
            assert command.split()[1] in readme, f"{command} is not in README.md"

"""Generate ``docs/cli.md`` from the command line's own definitions.

The reference cannot drift from the code: ``tests/cli/test_cli_docs.py`` fails when the
committed page differs from what this module renders. Regenerate with
``python -m schildwacht.cli_docs > docs/cli.md``.
"""

from __future__ import annotations

from typing import Any

import typer.main
from typer.core import TyperArgument, TyperGroup

from schildwacht.cli import app

HEADER = """# Command reference

Generated from the code by `python -m schildwacht.cli_docs`; do not edit by hand.

Every command accepts the global option `--store DIR` before the command name
(`schildwacht --store DIR ingest ...`), default `./schildwacht-data`, also read from the
environment variable `SCHILDWACHT_STORE`; and `--database-url URL`, the application database
(default: the SQLite file in the store; e.g. `postgresql+psycopg://user@host/schildwacht`),
also read from `SCHILDWACHT_DATABASE_URL`. Exit code 0 means success; a problem you can fix
ends with exit code 2 and a one-line message on standard error. A run that fills the disk
or runs out of memory ends with exit code 1 and one line of advice.
"""


def _commands(group: TyperGroup, prefix: str) -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for name in sorted(group.commands):
        command = group.commands[name]
        path = f"{prefix} {name}".strip()
        if isinstance(command, TyperGroup):
            found.extend(_commands(command, path))
        else:
            found.append((path, command))
    return found


def _param_row(param: Any) -> str:
    if isinstance(param, TyperArgument):
        names = f"`{(param.name or '').upper()}...`"
        text = (param.help or "argument").replace("|", "\\|")
    else:
        names = ", ".join(f"`{o}`" for o in [*param.opts, *param.secondary_opts])
        text = (param.help or "").replace("|", "\\|")
        if param.default not in (None, False, ()) and not param.required:
            text += f" Default: `{param.default}`."
        if param.required:
            text += " Required."
    return f"| {names} | {text} |"


def render() -> str:
    """The Markdown reference of every command and option."""
    root = typer.main.get_command(app)
    assert isinstance(root, TyperGroup)
    parts = [HEADER]
    for path, command in _commands(root, "schildwacht"):
        parts.append(f"## `{path}`\n")
        parts.append((command.help or "").strip() + "\n")
        params = [p for p in command.params if p.name != "help"]
        if params:
            parts.append("| option | meaning |\n|---|---|")
            parts.extend(_param_row(p) for p in params)
            parts.append("")
    return "\n".join(parts).rstrip() + "\n"


if __name__ == "__main__":
    print(render(), end="")

"""``schildwacht serve`` and ``schildwacht users``: run the web app and manage its accounts.

Accounts are created here, never with a default password: ``users add`` prints a generated
one-time password that must be changed at first sign-in. Every account change is recorded
in the audit trail with the operating-system user as actor.
"""

from __future__ import annotations

import getpass
import logging
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from schildwacht.app.auth.roles import Role

users_app = typer.Typer(help="Manage the web app's accounts and roles.", no_args_is_help=True)
ROLE_HELP = "Role: " + ", ".join(r.value for r in Role) + ". Repeat for several roles."


def _cli_actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            help="Worker processes (on SQLite their writes queue; PostgreSQL scales).",
            min=1,
            max=64,
        ),
    ] = 1,
) -> None:
    """Serve the web app on the store (Dutch by default; stop with Ctrl+C)."""
    import os

    import uvicorn

    from schildwacht.app.evidence import warm_up
    from schildwacht.cli_state import State
    from schildwacht.web.app import STORE_ENV, create_app

    State.store.ensure()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    Console().print(
        f"Schildwacht serves {State.store.root} on http://{host}:{port}/ "
        f"({workers} worker{'s' if workers > 1 else ''})", highlight=False
    )  # fmt: skip
    if workers > 1:
        os.environ[STORE_ENV] = str(State.store.root.resolve())
        uvicorn.run("schildwacht.web.app:app_from_environment", factory=True, host=host,
                    port=port, workers=workers, access_log=False, log_level="warning")  # fmt: skip
        return
    app = create_app(State.store.root)
    warm_up(State.store)  # about 1.5 s now, so the first alert page is as fast as later ones
    uvicorn.run(app, host=host, port=port, access_log=False, log_level="warning")


def _sessions():  # type: ignore[no-untyped-def]
    from schildwacht.cli_alerts import _sessions as sessions

    return sessions()


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="User name (lower case, digits, . _ -).")],
    role: Annotated[list[Role], typer.Option("--role", help=ROLE_HELP)],
    display_name: Annotated[str | None, typer.Option(help="Name shown in the app.")] = None,
) -> None:
    """Create an account; prints a one-time password that must be changed at first sign-in."""
    from schildwacht.app.audit.service import append
    from schildwacht.app.auth.service import add_user

    with _sessions().begin() as db:
        user, password = add_user(db, username=name, roles=[r.value for r in role],
                                  display_name=display_name)  # fmt: skip
        append(db, actor=_cli_actor(), action="user_added", target=f"user:{user.username}",
               details={"roles": list(user.roles)})  # fmt: skip
    Console().print(f"User {user.username} ({', '.join(user.roles)}) created.")
    Console().print(f"One-time password: {password}", highlight=False)


@users_app.command("list")
def users_list() -> None:
    """Every account with its roles and whether it is active or locked."""
    from schildwacht.app.auth.service import list_users

    with _sessions().begin() as db:
        users = list_users(db)
    table = Table("user", "name", "roles", "active", "locked until")
    for u in users:
        locked = u.locked_until.isoformat(timespec="minutes") if u.locked_until else ""
        table.add_row(
            u.username, u.display_name, ", ".join(u.roles), "yes" if u.active else "no", locked
        )
    Console().print(table)


@users_app.command("reset-password")
def users_reset_password(name: Annotated[str, typer.Argument(help="User name.")]) -> None:
    """A new one-time password (also lifts a lockout and signs the user out)."""
    from schildwacht.app.audit.service import append
    from schildwacht.app.auth.service import find_user, reset_password
    from schildwacht.app.auth.sessions import end_user_sessions

    with _sessions().begin() as db:
        password = reset_password(db, username=name)
        user = find_user(db, username=name)
        if user is not None:
            end_user_sessions(db, user_id=user.user_id)
        append(db, actor=_cli_actor(), action="password_reset", target=f"user:{name}")
    Console().print(f"One-time password: {password}", highlight=False)


@users_app.command("disable")
def users_disable(name: Annotated[str, typer.Argument(help="User name.")]) -> None:
    """Block an account at once: its sessions and tokens stop working."""
    _set_active(name, False)


@users_app.command("enable")
def users_enable(name: Annotated[str, typer.Argument(help="User name.")]) -> None:
    """Allow a disabled account to sign in again."""
    _set_active(name, True)


def _set_active(name: str, active: bool) -> None:
    from schildwacht.app.audit.service import append
    from schildwacht.app.auth.service import set_active
    from schildwacht.app.auth.sessions import end_user_sessions

    with _sessions().begin() as db:
        user = set_active(db, username=name, active=active)
        if not active:
            end_user_sessions(db, user_id=user.user_id)
        append(db, actor=_cli_actor(), action="user_enabled" if active else "user_disabled",
               target=f"user:{user.username}")  # fmt: skip
    Console().print(f"User {user.username} is now {'active' if active else 'disabled'}.")


@users_app.command("roles")
def users_roles(
    name: Annotated[str, typer.Argument(help="User name.")],
    role: Annotated[list[Role], typer.Option("--role", help=ROLE_HELP)],
) -> None:
    """Replace a user's roles."""
    from schildwacht.app.audit.service import append
    from schildwacht.app.auth.service import set_roles

    with _sessions().begin() as db:
        user = set_roles(db, username=name, roles=[r.value for r in role])
        append(db, actor=_cli_actor(), action="roles_changed", target=f"user:{user.username}",
               details={"roles": list(user.roles)})  # fmt: skip
    Console().print(f"User {user.username} now has: {', '.join(user.roles)}.")


@users_app.command("token")
def users_token(
    name: Annotated[str, typer.Argument(help="User name.")],
    purpose: Annotated[str, typer.Option("--name", help="What the token is for.")],
    days: Annotated[int, typer.Option(help="Valid for this many days.", min=1, max=366)] = 90,
) -> None:
    """A personal access token for the API, with the user's own roles (printed once)."""
    from schildwacht.app.audit.service import append
    from schildwacht.app.auth.service import find_user
    from schildwacht.app.auth.sessions import create_token
    from schildwacht.errors import UserError

    with _sessions().begin() as db:
        user = find_user(db, username=name)
        if user is None:
            raise UserError(f"no user {name!r}; see 'schildwacht users list'")
        secret, token = create_token(db, user=user, name=purpose, days=days)
        append(db, actor=_cli_actor(), action="token_created", target=f"user:{user.username}",
               details={"token": token.token_id, "name": token.name})  # fmt: skip
    Console().print(f"Token {token.prefix}… for {user.username}: {secret}", highlight=False)

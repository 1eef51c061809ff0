"""Roles and what each may do: the one table every page and API call is checked against.

Least privilege, as the works council and the AP expect of a tool that watches staff: the
``analist`` triages with pseudonymised employees; only a ``privacy_officer`` may re-identify,
decide and close; the ``fg`` (functionaris gegevensbescherming, the data protection officer)
supervises: reads alerts and breach dossiers, confirms a decision not to notify the AP
(``BREACH.md`` §6) and reads the management report, but re-identifies no one; the
``beheerder`` keeps the tool running (users, settings, suppressions) but
sees no alert content unless also given another role; the ``auditor`` reads the audit trail
and nothing else. A user may hold several roles; permissions are the union.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Role(StrEnum):
    analist = "analist"
    privacy_officer = "privacy_officer"
    fg = "fg"
    beheerder = "beheerder"
    auditor = "auditor"


class Permission(StrEnum):
    alerts_read = "alerts_read"  # queue, alert pages with pseudonymised staff
    alerts_triage = "alerts_triage"  # start an investigation, comment, assign
    alerts_decide = "alerts_decide"  # close with a resolution, confirm a colleague's decision
    reveal = "reveal"  # re-identify the employee behind one alert, with a justification
    lookup = "lookup"  # reverse look-up: who opened this person's records
    dossiers = "dossiers"  # investigation files joining alerts about one employee
    suppressions = "suppressions"  # manage suppressions
    users = "users"  # manage accounts
    settings = "settings"  # read the store's settings
    audit_read = "audit_read"  # read and export the audit trail
    breaches = "breaches"  # read breach dossiers, their clock, drafts and the register
    breach_handle = "breach_handle"  # open and assess breaches, decide, notify, write letters
    fg_confirm = "fg_confirm"  # confirm a decision not to notify the AP (the FG's task)
    reports = "reports"  # the management report (counts only, no persons)


_TRIAGE = {Permission.alerts_read, Permission.alerts_triage, Permission.lookup, Permission.dossiers}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.analist: frozenset(_TRIAGE),
    Role.privacy_officer: frozenset(
        _TRIAGE
        | {
            Permission.alerts_decide,
            Permission.reveal,
            Permission.breaches,
            Permission.breach_handle,
            Permission.reports,
        }
    ),
    Role.fg: frozenset(
        {
            Permission.alerts_read,
            Permission.dossiers,
            Permission.breaches,
            Permission.fg_confirm,
            Permission.reports,
        }
    ),
    Role.beheerder: frozenset({Permission.suppressions, Permission.users, Permission.settings}),
    Role.auditor: frozenset({Permission.audit_read}),
}

ROLE_LABELS_NL = {
    Role.analist: "Analist",
    Role.privacy_officer: "Privacy officer",
    Role.fg: "Functionaris gegevensbescherming (FG)",
    Role.beheerder: "Beheerder",
    Role.auditor: "Auditor",
}


def parse_roles(values: Iterable[str]) -> tuple[Role, ...]:
    """Roles from text, refusing unknown names (a typo must not silently grant nothing)."""
    roles: list[Role] = []
    for value in values:
        try:
            role = Role(value.strip())
        except ValueError:
            known = ", ".join(r.value for r in Role)
            raise ValueError(f"unknown role {value!r}; known roles: {known}") from None
        if role not in roles:
            roles.append(role)
    if not roles:
        raise ValueError("a user needs at least one role")
    return tuple(roles)


def permissions_of(roles: Iterable[str]) -> frozenset[Permission]:
    """The union of the permissions of ``roles`` (unknown names grant nothing)."""
    granted: set[Permission] = set()
    for name in roles:
        if name in Role.__members__:
            granted |= ROLE_PERMISSIONS[Role(name)]
    return frozenset(granted)

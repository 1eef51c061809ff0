"""Errors a user can act on.

A ``UserError`` carries a one-line message that says what is wrong, where (file, line,
field) and what to do. The CLI prints it and exits non-zero without a traceback; anything
else is a bug and keeps its traceback.
"""


class UserError(Exception):
    """A problem with the user's input or environment, explained in one actionable line."""


class PermissionDenied(UserError):
    """The signed-in user's roles do not allow this act (HTTP 403)."""


class NotFound(UserError):
    """The thing asked for does not exist, or the user may not know it exists (HTTP 404)."""


class Conflict(UserError):
    """The act does not fit the object's current state, e.g. closing a closed alert (HTTP 409)."""

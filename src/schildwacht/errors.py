"""Errors a user can act on.

A ``UserError`` carries a one-line message that says what is wrong, where (file, line,
field) and what to do. The CLI prints it and exits non-zero without a traceback; anything
else is a bug and keeps its traceback.
"""


class UserError(Exception):
    """A problem with the user's input or environment, explained in one actionable line."""

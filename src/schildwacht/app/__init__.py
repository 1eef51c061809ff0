"""Application state: alerts, detection runs and suppressions in a SQLAlchemy database.

Each domain is a slice (``alerts/``, ``suppressions/``, ``detection_runs/``) with its table in
``models.py`` and keyword-only service functions in ``service.py`` that take an explicit
session. Services never commit: the caller owns the unit of work
(``with sessions.begin() as session: ...``), so detection can write its alerts and its run
record in one transaction, or not at all.
"""

"""Every table of the application database, imported in one place for Alembic.

Alembic compares the models with the database through ``Base.metadata``; a model module that
nobody imports would be invisible to it. A new slice adds its models import here.
"""

from __future__ import annotations

import sqlalchemy as sa

from schildwacht.app.alerts.models import AlertRecord, AlertScenarioRecord, AlertSubjectRecord
from schildwacht.app.audit.models import AuditRecord
from schildwacht.app.auth.models import ApiTokenRecord, UserRecord, WebSessionRecord
from schildwacht.app.base import Base
from schildwacht.app.breaches.models import (
    BreachDecisionRecord,
    BreachEventRecord,
    BreachMeasureRecord,
    BreachNoticeRecord,
    BreachRecord,
)
from schildwacht.app.detection_runs.models import DetectionRunRecord
from schildwacht.app.dossiers.models import DossierAlertRecord, DossierRecord
from schildwacht.app.people.models import RevealRecord
from schildwacht.app.suppressions.models import SuppressionRecord
from schildwacht.app.triage.models import AlertDecisionRecord, AlertNoteRecord

__all__ = [
    "AlertDecisionRecord",
    "AlertNoteRecord",
    "AlertRecord",
    "AlertScenarioRecord",
    "AlertSubjectRecord",
    "ApiTokenRecord",
    "AuditRecord",
    "BreachDecisionRecord",
    "BreachEventRecord",
    "BreachMeasureRecord",
    "BreachNoticeRecord",
    "BreachRecord",
    "DetectionRunRecord",
    "DossierAlertRecord",
    "DossierRecord",
    "RevealRecord",
    "SuppressionRecord",
    "UserRecord",
    "WebSessionRecord",
    "metadata",
]

metadata: sa.MetaData = Base.metadata

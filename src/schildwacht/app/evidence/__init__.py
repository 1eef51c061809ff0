"""Evidence for the alert page, read from the event store: never stored, never changed.

The alert's events with detection's explanation of each, the employee's activity around the
alert day, what ties the employee to the subjects, and the names behind ids. Everything
reuses detection's definitions, so the page explains what detection decided.
"""

from schildwacht.app.evidence.connections import KINDS, subject_connections
from schildwacht.app.evidence.models import (
    EXPLANATION_TEXT_EN,
    Connection,
    DayActivity,
    EmployeeProfile,
    EvidenceEvent,
    Timeline,
)
from schildwacht.app.evidence.page import AlertPageEvidence, alert_page_evidence, warm_up
from schildwacht.app.evidence.service import (
    activity_timeline,
    alert_evidence,
    citizen_names,
    employee_profile,
)

__all__ = [
    "EXPLANATION_TEXT_EN",
    "KINDS",
    "AlertPageEvidence",
    "Connection",
    "DayActivity",
    "EmployeeProfile",
    "EvidenceEvent",
    "Timeline",
    "activity_timeline",
    "alert_evidence",
    "alert_page_evidence",
    "citizen_names",
    "employee_profile",
    "subject_connections",
    "warm_up",
]

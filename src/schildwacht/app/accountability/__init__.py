"""Accounting to citizens and supervisors for what the municipality did with personal data.

``inzage``: the Art. 15 GDPR consultation report (CJEU C-579/21) for one person; ``pdf``:
the same report as a PDF for that person. Both read the event store and never change it.
``management``: the management report per month or quarter (counts only), with ``period``
(parsing months and quarters) and ``explained`` (the share of accesses explained).
"""

from schildwacht.app.accountability.inzage import (
    Consultation,
    InzageReport,
    as_json,
    consultations,
)

__all__ = ["Consultation", "InzageReport", "as_json", "consultations"]

"""Models of the complaints app: the case (``case``) and what is recorded about it (``records``)."""

from complaints.models.case import Complaint, ComplaintCategory
from complaints.models.public import AgencyMonthStats, PublicPolicy
from complaints.models.records import (
    AccessLog,
    Attachment,
    ComplaintEvent,
    ExtensionRequest,
    RejectionFiling,
    Remedy,
    Supervision,
)

__all__ = [
    "AccessLog",
    "AgencyMonthStats",
    "Attachment",
    "Complaint",
    "ComplaintCategory",
    "ComplaintEvent",
    "ExtensionRequest",
    "PublicPolicy",
    "RejectionFiling",
    "Remedy",
    "Supervision",
]

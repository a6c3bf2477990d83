"""Models of the complaints app: the case (``case``) and what is recorded about it (``records``)."""

from complaints.models.acceptance import AcceptedFiling
from complaints.models.case import Complaint, ComplaintCategory
from complaints.models.integration import IntegrationAccount
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
    "AcceptedFiling",
    "AccessLog",
    "AgencyMonthStats",
    "Attachment",
    "Complaint",
    "ComplaintCategory",
    "ComplaintEvent",
    "ExtensionRequest",
    "IntegrationAccount",
    "PublicPolicy",
    "RejectionFiling",
    "Remedy",
    "Supervision",
]

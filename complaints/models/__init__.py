"""Models of the complaints app: the case (``case``) and what is recorded about it (``records``)."""

from complaints.models.case import Complaint, ComplaintCategory
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
    "Attachment",
    "Complaint",
    "ComplaintCategory",
    "ComplaintEvent",
    "ExtensionRequest",
    "RejectionFiling",
    "Remedy",
    "Supervision",
]

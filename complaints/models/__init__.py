"""Models of the complaints app: the case (``case``) and what is recorded about it (``records``)."""

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
from complaints.models.replies import ReplyDraft, ReplyReviewRule
from complaints.models.rounds import ROUND_FIELDS, HandlingRound

__all__ = [
    "ROUND_FIELDS",
    "AccessLog",
    "AgencyMonthStats",
    "Attachment",
    "Complaint",
    "ComplaintCategory",
    "ComplaintEvent",
    "ExtensionRequest",
    "HandlingRound",
    "IntegrationAccount",
    "PublicPolicy",
    "RejectionFiling",
    "Remedy",
    "ReplyDraft",
    "ReplyReviewRule",
    "Supervision",
]

"""Models of the complaints app: the case (``case``), what is recorded about it (``records``),
and 督办 (``supervision``)."""

from complaints.models.case import Complaint, ComplaintCategory
from complaints.models.duties import DutyPolicy, Endorsement, EndorsementRule
from complaints.models.integration import IntegrationAccount
from complaints.models.public import AgencyMonthStats, PublicPolicy
from complaints.models.records import (
    AccessLog,
    Attachment,
    ComplaintEvent,
    ExtensionRequest,
    RejectionFiling,
    Remedy,
)
from complaints.models.replies import ReplyDraft, ReplyReviewRule
from complaints.models.rounds import ROUND_FIELDS, HandlingRound
from complaints.models.supervision import Supervision, SupervisionLevel

__all__ = [
    "ROUND_FIELDS",
    "AccessLog",
    "AgencyMonthStats",
    "Attachment",
    "Complaint",
    "ComplaintCategory",
    "ComplaintEvent",
    "DutyPolicy",
    "Endorsement",
    "EndorsementRule",
    "ExtensionRequest",
    "HandlingRound",
    "IntegrationAccount",
    "PublicPolicy",
    "RejectionFiling",
    "Remedy",
    "ReplyDraft",
    "ReplyReviewRule",
    "Supervision",
    "SupervisionLevel",
]

"""办理轮次 (handling rounds): what each round of a reopened complaint found, answered and scored.

The model, and why it is this one:

* The complaint's own fields ``outcome`` … ``closed_at`` (``ROUND_FIELDS``) are its
  *current* round, numbered ``Complaint.round_no`` (1 until a reopen).
* When the complainant is not satisfied and has the case handled again
  (``complaint_reopen``), the round that ends is copied into one ``HandlingRound``
  row — finding, reply, callback, rating, with when and why it was reopened — and
  those fields of the complaint are cleared for the next round. A row is written
  once and never changed (the table is append-only, like the timeline).

A row for every round with the complaint pointing at its current one was the
alternative. It was not chosen because every step of the workflow, every worklist,
the public list and its search, the API and the exports read the current round,
and each would then read it through a join; a closed round is history, read only
by the case page, the follow page, the 反馈表 (feedback form) and the statistics.
Reopening is allowed once, so almost every complaint has no row here.

The price: a field that belongs to a round lives on both models. ``ROUND_FIELDS``
names them once; ``complaint_reopen`` copies and clears exactly those, and a test
checks that both models declare each of them alike.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from complaints.models.case import Complaint

# The complaint's fields that belong to its current round (copied here on reopen).
ROUND_FIELDS = (
    "outcome",
    "findings",
    "concluded_at",
    "reply_text",
    "replied_at",
    "callback_rating",
    "citizen_rating",
    "citizen_comment",
    "rated_at",
    "closed_at",
)


class HandlingRound(models.Model):
    """A closed handling round of a complaint (办理轮次), kept when the case is reopened."""

    complaint = models.ForeignKey(
        Complaint,
        verbose_name=_("投诉"),
        on_delete=models.PROTECT,
        related_name="rounds",
        db_index=False,  # handling_round_once starts with it
    )
    number = models.PositiveSmallIntegerField(_("轮次"))

    # The same fields as the complaint's current round (ROUND_FIELDS), as they were.
    outcome = models.CharField(
        _("核查结论"), max_length=10, choices=Complaint.Outcome.choices, blank=True
    )
    findings = models.TextField(_("核查情况"), blank=True)
    concluded_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    reply_text = models.TextField(_("答复内容"), blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    callback_rating = models.CharField(
        _("回访满意度"), max_length=12, choices=Complaint.Rating.choices, blank=True
    )
    citizen_rating = models.CharField(
        _("投诉人评价"), max_length=12, choices=Complaint.Rating.choices, blank=True
    )
    citizen_comment = models.CharField(_("评价意见"), max_length=500, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("归档时间"), null=True, blank=True)

    # How the round ended: reopened at the complainant's request (or the office's, for them).
    reopened_at = models.DateTimeField(_("重新办理时间"))
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reopen_reason = models.TextField(_("重新办理理由"), blank=True)

    class Meta:
        ordering = ["complaint", "number"]
        verbose_name = _("办理轮次")
        verbose_name_plural = _("往轮办理（重新办理前）")
        constraints = [
            models.UniqueConstraint(fields=["complaint", "number"], name="handling_round_once"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="handling_round_from_1"),
        ]

    def __str__(self) -> str:
        return _("第 %(n)s 轮") % {"n": self.number}

    @property
    def rating(self) -> str:
        """The round's satisfaction as the statistics count it: the complainant's, else the callback's."""
        return self.citizen_rating or self.callback_rating

    @classmethod
    def current_of(cls, complaint: Complaint) -> HandlingRound:
        """The complaint's current round as an unsaved row, so pages list every round alike."""
        current = cls(complaint=complaint, number=complaint.round_no, reopened_at=None)
        for name in ROUND_FIELDS:
            setattr(current, name, getattr(complaint, name))
        current.is_current = True
        return current

    is_current = False

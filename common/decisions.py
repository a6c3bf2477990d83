"""A reviewed decision: someone other than the proposer decides, with a time, an outcome and a note.

Extension requests, rejection filings (否定报备), appeals, proposed sanctions and reply
drafts all have this shape. The model holds the four fields; ``decision_record`` is the
one way a service fills them, refusing a second decision and a decision by the proposer
when the caller says the two must differ (separation of duties).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from efficiency_portal.errors import ApplicationError


class ReviewedDecision(models.Model):
    """Abstract: ``outcome`` is blank while pending; subclasses give it choices."""

    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("决定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(gettext_lazy("决定时间"), null=True, blank=True)
    outcome = models.CharField(gettext_lazy("决定"), max_length=20, blank=True)
    decision_note = models.TextField(gettext_lazy("决定意见"), blank=True)

    class Meta:
        abstract = True

    @property
    def is_decided(self) -> bool:
        return self.decided_at is not None


def decision_record(
    *,
    decision: ReviewedDecision,
    actor,
    outcome: str,
    note: str = "",
    proposer=None,
    note_required: bool = False,
) -> ReviewedDecision:
    """Fill the decision fields (the caller saves inside its own transaction).

    Refuses a decision already taken, a decider who is the ``proposer`` when one is
    given, and an empty note when ``note_required``.
    """
    if decision.decided_at is not None:
        raise ApplicationError(_("该事项已经作出决定，不能再次决定。"), code="already_decided")
    if proposer is not None and actor is not None and proposer.pk == actor.pk:
        raise ApplicationError(
            _("提出人不能审批自己提出的事项。"), code="self_review", field="outcome"
        )
    if note_required and not note.strip():
        raise ApplicationError(_("请填写决定意见。"), code="note_required", field="decision_note")
    decision.decided_by = actor
    decision.decided_at = timezone.now()
    decision.outcome = outcome
    decision.decision_note = note
    return decision

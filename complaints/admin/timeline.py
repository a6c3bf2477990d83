"""The case page's timeline (办理过程) in words: verbs, states and staff by name, never codes."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from common.admin import ReadOnlyInline
from complaints.labels import verb_label
from complaints.models import Complaint, ComplaintEvent
from timelimits.labels import person

_STATES = dict(Complaint.State.choices)


def staff_column(field: str, label):
    """A read-only column naming the staff member in ``field`` (as the PDFs do), not the account."""

    @admin.display(description=label)
    def column(self, obj):
        user = getattr(obj, field)
        return person(user) if user is not None else "—"

    return column


class EventInline(ReadOnlyInline):
    model = ComplaintEvent
    verbose_name_plural = _("办理过程")
    fields = ("occurred_at", "actor_name", "action", "from_to", "public_message", "internal_note")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor__staff_profile")

    @admin.display(description=_("操作人"))
    def actor_name(self, obj):
        return person(obj.actor) if obj.actor_id else "—"  # the complainant, or the system

    @admin.display(description=_("操作"))
    def action(self, obj):
        return verb_label(obj.verb)

    @admin.display(description=_("状态变化"))
    def from_to(self, obj):
        if not obj.to_state or obj.from_state == obj.to_state:
            return "—"
        before = _STATES.get(obj.from_state, obj.from_state)
        return (
            f"{before} → {_STATES.get(obj.to_state, obj.to_state)}"
            if before
            else _STATES.get(obj.to_state, obj.to_state)
        )

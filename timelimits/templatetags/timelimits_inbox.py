"""``{% unread_notices %}``: the signed-in staff member's unread in-app notices, for the admin index."""

from __future__ import annotations

from django import template
from django.urls import reverse

from timelimits.selectors import unread_count

register = template.Library()


@register.inclusion_tag("timelimits/unread_notices.html", takes_context=True)
def unread_notices(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    count = unread_count(user=user) if user is not None else 0
    return {
        "count": count,
        "url": reverse("admin:timelimits_notification_changelist") + "?unread=1",
    }


@register.inclusion_tag("timelimits/unread_link.html", takes_context=True)
def unread_link(context):
    """The header's 通知 link with the unread count (every admin page)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "count": unread_count(user=user) if user is not None else 0,
        "url": reverse("admin:timelimits_notification_changelist") + "?unread=1",
    }

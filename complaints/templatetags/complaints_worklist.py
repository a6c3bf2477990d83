"""``{% worklist_summary %}``: the top of the user's worklist (待办) on the admin index."""

from __future__ import annotations

from django import template

from complaints.selectors.worklist import worklist_for

register = template.Library()

INDEX_ROWS = 10  # the most urgent of the first queue with work; the worklist page has the rest


@register.inclusion_tag("admin/complaints/worklist/summary.html", takes_context=True)
def worklist_summary(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("complaints.view_complaint"):
        return {"worklist": None}
    return {"worklist": worklist_for(user=user, limit=INDEX_ROWS), "on_index": True}

"""待办 (worklist) in the admin: the page a clerk or the office starts the day on.

The admin index shows its summary on top (``{% worklist_summary %}``, see
``complaints/templatetags/complaints_worklist.py``); this page shows one queue at a
time, tabs with counts above. The query is ``complaints.selectors.worklist``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from complaints.selectors.worklist import worklist_for


def worklist_view(model_admin, request):
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    worklist = worklist_for(user=request.user, queue=request.GET.get("queue"))
    return TemplateResponse(
        request,
        "admin/complaints/worklist/page.html",
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.model._meta,
            "title": _("我的待办"),
            "worklist": worklist,
        },
    )

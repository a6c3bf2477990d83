"""Words for the complaint's codes: its clocks' kinds (for the engine's pages) and the verbs
of its timeline, so no page shows ``approve_plan`` or ``complaint.reply``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from complaints import clocks, workflow

KIND_LABELS = {
    clocks.ACCEPT: _("受理时限"),
    clocks.SIGN_FOR: _("签收时限"),
    clocks.RETURN_WINDOW: _("退回期限"),
    clocks.HANDLE: _("办理时限"),
    clocks.REPLY: _("答复时限"),
    clocks.CALLBACK: _("回访时限"),
    clocks.EXTENSION: _("延期时限"),
    clocks.SUPERVISION_ANSWER: _("督办答复时限"),
}

# Timeline verbs that are not step buttons (workflow.ACTION_NAMES has those).
_OTHER_VERBS = {
    "submit": _("提交投诉"),
    "merged_in": _("并入其他投诉"),
    "merge_followed": _("随主件办理"),
    "unmerged_out": _("撤销合并（移出）"),
    "rejection_upheld": _("维持不予受理"),
    "supplement": _("投诉人补充材料"),
    "endorsement_requested": _("报请领导批示"),
}


def verb_label(verb: str) -> str:
    """The timeline verb in words; a verb nobody named yet shows as it is written."""
    label = workflow.ACTION_NAMES.get(verb) or _OTHER_VERBS.get(verb)
    return str(label) if label else verb


def register() -> None:
    """Called in AppConfig.ready: the engine's pages name complaint clocks and cases."""
    from timelimits.labels import register_kind_labels, register_subject_label

    register_kind_labels(KIND_LABELS)
    register_subject_label("complaints.complaint", lambda case: case.tracking_no)
    # A 督办's answer clock is named after its case: "XN-2026-000123-7 督办".
    register_subject_label(
        "complaints.supervision",
        lambda row: _("%(no)s 督办") % {"no": row.complaint.tracking_no},
    )

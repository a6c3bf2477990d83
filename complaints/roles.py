"""Which role may do what with complaints (given to the role groups after every migrate)."""

from __future__ import annotations

from organizations.roles import Role, register_role_permissions

_READ = {
    "complaints.view_complaint",
    "complaints.view_endorsement",
    "complaints.view_complaintevent",
    "complaints.view_attachment",
    "complaints.view_remedy",
    "complaints.view_handlinground",
    "complaints.view_extensionrequest",
    "complaints.view_supervision",
    "complaints.view_complaintcategory",
    "complaints.view_replydraft",
}
# 答复审核规则: which replies the office reads before the complainant does.
_REVIEW_RULES = {
    "complaints.view_replyreviewrule",
    "complaints.add_replyreviewrule",
    "complaints.change_replyreviewrule",
}
_HANDLE = _READ | {"complaints.handle_complaint"}
_OFFICE = _READ | {
    "complaints.office_complaint",
    "complaints.reveal_complainant",
    "complaints.view_rejectionfiling",
    "complaints.change_rejectionfiling",
    "complaints.view_accesslog",
    "complaints.add_complaintcategory",
    "complaints.change_complaintcategory",
    # 督办级别 and their answer limits (supervision_level_save, audited).
    "complaints.view_supervisionlevel",
    "complaints.add_supervisionlevel",
    "complaints.change_supervisionlevel",
    *_REVIEW_RULES,
}
# 领导批示规则 (which cases go to a leader) are the office's practice; 职责分离设置 restrains the
# office itself, so the office reads it and a system administrator changes it. Both audited.
_DUTIES_CONFIG = {
    "complaints.view_dutypolicy",
    "complaints.view_endorsementrule",
    "complaints.add_endorsementrule",
    "complaints.change_endorsementrule",
}
# 领导批示: a leader instructs on the cases that wait for it (complaints_awaiting_endorsement).
_ENDORSE = {"complaints.endorse_complaint", "complaints.view_endorsement"}
# 接入账号: made, rotated and revoked by the office or a system administrator.
_INTEGRATION = {
    "complaints.view_integrationaccount",
    "complaints.add_integrationaccount",
    "complaints.change_integrationaccount",
}


def register() -> None:
    register_role_permissions(
        {
            Role.HANDLER: _HANDLE,
            Role.REVIEWER: _HANDLE,
            Role.APPROVER: _HANDLE,
            Role.UNIT_ADMIN: _READ,
            Role.EFFICIENCY_OFFICE: _OFFICE | _INTEGRATION | _DUTIES_CONFIG,
            Role.LEADER: _READ | _ENDORSE | {"complaints.view_rejectionfiling"},
            Role.SYSADMIN: {
                "complaints.view_complaintcategory",
                "complaints.add_complaintcategory",
                "complaints.change_complaintcategory",
                "complaints.view_accesslog",
                *_INTEGRATION,
                *_DUTIES_CONFIG,
                "complaints.change_dutypolicy",
            },
        }
    )

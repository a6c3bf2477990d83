"""Which roles may see and change the engine's tables."""

from organizations.roles import Role, register_role_permissions

_VIEW_OWN = {
    "timelimits.view_deadline",
    "timelimits.view_deadlineevent",
    "timelimits.view_notification",
}
_CONFIG = {
    "timelimits.view_workcalendarday",
    "timelimits.add_workcalendarday",
    "timelimits.change_workcalendarday",
    "timelimits.view_timelimitpolicy",
    "timelimits.add_timelimitpolicy",
    "timelimits.change_timelimitpolicy",
    "timelimits.view_escalationstep",
    "timelimits.add_escalationstep",
    "timelimits.change_escalationstep",
    "timelimits.delete_escalationstep",
    "timelimits.view_outboxentry",
    "timelimits.view_noticepolicy",
    "timelimits.add_noticepolicy",
    "timelimits.change_noticepolicy",
    "timelimits.view_digestschedule",
    "timelimits.change_digestschedule",
}

register_role_permissions(
    {
        Role.HANDLER: _VIEW_OWN,
        Role.REVIEWER: _VIEW_OWN,
        Role.APPROVER: _VIEW_OWN,
        Role.UNIT_ADMIN: _VIEW_OWN,
        Role.LEADER: _VIEW_OWN,
        Role.EFFICIENCY_OFFICE: _VIEW_OWN
        | {"timelimits.view_workcalendarday", "timelimits.view_timelimitpolicy"},
        Role.SYSADMIN: _VIEW_OWN | _CONFIG,
    }
)

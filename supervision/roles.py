"""Which role may do what in supervision (given to the role groups after every migrate)."""

from __future__ import annotations

from organizations.roles import Role, register_role_permissions

_FIGURES = {
    "supervision.view_indicatorsetting",
    "supervision.view_rolluprun",
    "supervision.view_rankingscheme",
    "supervision.view_ranking",
    "supervision.view_outcomeproposal",
}
_INSPECTIONS = {
    "supervision.view_inspection",
    "supervision.view_rectification",
    "supervision.view_checklistitem",
}
_OFFICE = (
    _FIGURES
    | _INSPECTIONS
    | {
        "supervision.add_checklistitem",
        "supervision.change_checklistitem",
        "supervision.change_indicatorsetting",
        "supervision.add_rankingscheme",
        "supervision.change_rankingscheme",
        "supervision.change_ranking",
        "supervision.change_outcomeproposal",
    }
)

register_role_permissions(
    {
        Role.EFFICIENCY_OFFICE: set(_OFFICE),
        Role.LEADER: _FIGURES | _INSPECTIONS,
        Role.SYSADMIN: set(_FIGURES),
        # 效能监督员: the agencies (to pick the inspected one) and their own inspections.
        Role.INSPECTOR: {"organizations.view_agency", *_INSPECTIONS},
        # The agencies see their inspections and answer their rectifications.
        Role.HANDLER: set(_INSPECTIONS),
        Role.REVIEWER: set(_INSPECTIONS),
        Role.APPROVER: set(_INSPECTIONS),
        Role.UNIT_ADMIN: set(_INSPECTIONS),
    }
)

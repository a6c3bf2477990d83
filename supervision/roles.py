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
_SANCTIONS = {
    "supervision.view_sanction",
    "supervision.view_sanctionproposal",
    "supervision.view_sanctionkind",
    "supervision.view_thresholdrule",
}
_OFFICE = (
    _FIGURES
    | _INSPECTIONS
    | _SANCTIONS
    | {
        "supervision.add_sanction",
        "supervision.view_bulletin",
        "supervision.change_bulletin",
        "supervision.change_sanctionproposal",
        "supervision.add_sanctionkind",
        "supervision.change_sanctionkind",
        "supervision.add_thresholdrule",
        "supervision.change_thresholdrule",
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
        Role.LEADER: _FIGURES | _INSPECTIONS | _SANCTIONS,
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

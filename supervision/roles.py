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
_OFFICE = _FIGURES | {
    "supervision.change_indicatorsetting",
    "supervision.add_rankingscheme",
    "supervision.change_rankingscheme",
    "supervision.change_ranking",
    "supervision.change_outcomeproposal",
}

register_role_permissions(
    {
        Role.EFFICIENCY_OFFICE: set(_OFFICE),
        Role.LEADER: set(_FIGURES),
        Role.SYSADMIN: set(_FIGURES),
        # 效能监督员: the agencies (to pick the inspected one) and their own inspections.
        Role.INSPECTOR: {"organizations.view_agency"},
    }
)

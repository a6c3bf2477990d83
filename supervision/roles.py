"""Which role may do what in supervision (given to the role groups after every migrate)."""

from __future__ import annotations

from organizations.roles import Role, register_role_permissions

_FIGURES = {"supervision.view_indicatorsetting", "supervision.view_rolluprun"}

register_role_permissions(
    {
        Role.EFFICIENCY_OFFICE: _FIGURES | {"supervision.change_indicatorsetting"},
        Role.LEADER: set(_FIGURES),
        Role.SYSADMIN: set(_FIGURES),
        # 效能监督员: the agencies (to pick the inspected one) and their own inspections.
        Role.INSPECTOR: {"organizations.view_agency"},
    }
)

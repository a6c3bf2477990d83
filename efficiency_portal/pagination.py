"""The API's pagination: limit/offset with a largest page (``API_MAX_PAGE_SIZE``).

Without a largest page, ``?limit=100000`` answered every row in one response, and
``?limit=99999999999999999999`` reached PostgreSQL as a LIMIT past bigint (a 500).
A larger ``limit`` is lowered to the largest page; an ``offset`` past the last row
answers an empty page (the REST framework does not query for it).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import LimitOffsetPagination


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    offset_query_description = _("从第几条开始（0 起）。")

    @property
    def max_limit(self) -> int:
        return settings.API_MAX_PAGE_SIZE

    @property
    def limit_query_description(self) -> str:
        return _("每页条数，默认 %(default)d，最多 %(most)d（更大的值按 %(most)d 计）。") % {
            "default": self.default_limit,
            "most": self.max_limit,
        }

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 0
            if parameter["name"] == self.limit_query_param:
                parameter["schema"]["maximum"] = self.max_limit
        return parameters

"""How categories and complaints read as GeoReport v2 services and service requests.

A service request never carries the complainant's identity or the complaint's
text: Open311 reads are public, and a complaint's text often names people.
Systems that may read the full case use the REST API (``/api/v1/complaints/``),
which applies the portal's scoping and privacy rules.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from complaints.integrations.open311 import selectors
from complaints.integrations.open311.intake import Open311Error
from complaints.models import Complaint, ComplaintCategory
from efficiency_portal.inputs import date_problem

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this endpoint's interface last changed (the discovery document's changeset).
CHANGESET = "2026-11-27T00:00:00+08:00"


def iso(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _name(obj) -> str:
    """The English name on English requests (Accept-Language), where one is recorded."""
    english = (get_language() or "").startswith("en") and getattr(obj, "name_en", "")
    return english or obj.name


def discovery() -> dict:
    url = (
        settings.SITE_URL
        + reverse("open311:discovery", kwargs={"format": "json"}).rsplit("/", 1)[0]
    )
    return {
        "changeset": CHANGESET,
        "contact": settings.OPEN311_CONTACT,
        "key_service": _("向效能投诉中心申请接入账号，获取 api_key。"),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": url,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }


def service_dict(category: ComplaintCategory) -> dict:
    return {
        "service_code": category.code,
        "service_name": _name(category),
        "description": category.description,
        "metadata": True,  # the accused agency is an attribute (see service_definition)
        "type": "realtime",
        "keywords": category.name_en,
        "group": _("效能投诉"),
    }


def service_definition(category: ComplaintCategory) -> dict:
    return {
        "service_code": category.code,
        "attributes": [
            {
                # A list of the active agencies, so a generic GeoReport client can offer the
                # choice and file from this definition alone (key: the agency's code).
                "variable": True,
                "code": "agency",
                "datatype": "singlevaluelist",
                "required": True,
                "datatype_description": _("从列表中选择被投诉单位（值为单位代码）"),
                "order": 1,
                "description": _("被投诉单位"),
                "values": [
                    {"key": agency.code, "name": _name(agency)}
                    for agency in selectors.accusable_agencies()
                ],
            },
            {
                "variable": True,
                "code": "accused_person",
                "datatype": "string",
                "required": False,
                "datatype_description": _("最多 60 字"),
                "order": 2,
                "description": _("被投诉人（可不填）"),
                "values": [],
            },
            {
                "variable": True,
                "code": "consent_share_identity",
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": "",
                "order": 3,
                "description": _("是否同意向承办单位提供投诉人身份信息"),
                "values": [{"key": "yes", "name": _("同意")}, {"key": "no", "name": _("不同意")}],
            },
        ],
    }


def request_dict(complaint: Complaint, expected: dt.datetime | None, intake_agency: str) -> dict:
    agency = _name(complaint.handling_agency) if complaint.handling_agency_id else intake_agency
    return {
        "service_request_id": complaint.tracking_no,
        "status": selectors.open311_status(complaint.state),
        "status_notes": complaint.get_state_display(),
        "service_name": _name(complaint.category),
        "service_code": complaint.category.code,
        "description": "",
        "agency_responsible": agency,
        "service_notice": "",
        "requested_datetime": iso(complaint.submitted_at),
        "updated_datetime": iso(getattr(complaint, "updated_at", None) or complaint.submitted_at),
        "expected_datetime": iso(expected),
        "address": "",
        "address_id": "",
        "zipcode": "",
        "lat": None,
        "long": None,
        "media_url": "",
    }


def _parse(params, name: str) -> dt.datetime | None:
    raw = (params.get(name) or "").strip().replace(" ", "+")  # an unescaped "+" is a space
    if not raw:
        return None
    problem = date_problem(raw, name=name)  # 30 February, year 9999, offset −23:59
    if problem is not None:
        raise Open311Error(400, problem.message)
    try:
        value = parse_datetime(raw)
    except ValueError:
        value = None
    if value is None:
        raise Open311Error(
            400, _("%(name)s 应为 ISO 8601 时间，如 2026-11-01T00:00:00+08:00。") % {"name": name}
        )
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def window_from_params(params) -> tuple[dt.datetime, dt.datetime]:
    """[since, until) from start_date / end_date: the last 90 days by default, never wider."""
    start, end = _parse(params, "start_date"), _parse(params, "end_date")
    window = selectors.GEOREPORT_WINDOW
    if start and end:
        if end < start:
            raise Open311Error(400, _("end_date 不能早于 start_date。"))
        if end - start > window:
            raise Open311Error(400, _("start_date 与 end_date 相距不能超过 90 天。"))
        return start, end + dt.timedelta(microseconds=1)  # end_date is included
    if start:
        return start, start + window
    until = end + dt.timedelta(microseconds=1) if end else timezone.now() + dt.timedelta(seconds=1)
    return until - window, until

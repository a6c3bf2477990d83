"""Filing a complaint through Open311 ``POST requests``: check the key, map the fields, submit.

Mapping (GeoReport v2 → complaint):
* ``service_code`` → category; ``attribute[agency]`` → the accused agency (by code);
* ``description`` → the complaint text; its first line (shortened) is the title;
* ``address_string`` / ``lat`` + ``long`` and ``media_url`` are appended to the text,
  because a complaint has no location or link fields of its own;
* ``last_name`` + ``first_name`` → the complainant's name (family name first);
  without a name the complaint is anonymous and ``phone`` / ``email`` only receive
  progress notices;
* the answer carries ``service_request_id`` (the tracking number), a
  ``service_notice`` with the expected completion date, and ``query_code`` (an
  extension of the spec) that the filing system must hand to the complainant.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from complaints.integrations import accounts
from complaints.integrations.accounts import may_file
from complaints.integrations.auth import token_with_file_permission
from complaints.integrations.open311 import selectors
from complaints.services import complaint_submit
from organizations.models import Agency

DESCRIPTION_MAX = 4000  # GeoReport v2: a request's description is at most 4,000 characters
TITLE_MAX = 30


class Open311Error(Exception):
    """An error in GeoReport's format: HTTP status and a description for the developer."""

    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status = status
        self.description = str(description)


def client_for_key(api_key) -> object:
    """The integration account behind ``api_key`` (a DRF token); 403 when missing or not allowed."""
    key = str(api_key or "").strip()
    if not key:
        raise Open311Error(403, _("提交服务请求须提供 api_key。"))
    token = token_with_file_permission(key[:40])
    if token is None or not token.user.is_active or not may_file(token.user):
        raise Open311Error(403, _("api_key 无效或无权提交服务请求。"))
    accounts.integration_account_seen(user_id=token.user.pk)  # telemetry (最近使用时间)
    return token.user


def _field(data, name: str, max_length: int) -> str:
    value = data.get(name, "")
    if isinstance(value, list | dict):
        raise Open311Error(400, _("%(name)s 格式不正确。") % {"name": name})
    value = str(value or "").strip()
    if len(value) > max_length:
        raise Open311Error(
            400, _("%(name)s 过长（最多 %(max)d 字）。") % {"name": name, "max": max_length}
        )
    return value


def _attribute(data, code: str, max_length: int = 60) -> str:
    nested = data.get("attribute")
    if isinstance(nested, dict):  # JSON bodies may nest the attributes
        return _field(nested, code, max_length)
    return _field(data, f"attribute[{code}]", max_length)


def _coordinate(raw: str, name: str, limit: int) -> Decimal:
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or abs(value) > limit:
        raise Open311Error(400, _("%(name)s 不是有效的坐标。") % {"name": name})
    return value


def _location(data) -> list[str]:
    address = _field(data, "address_string", 200)
    lat, long = _field(data, "lat", 30), _field(data, "long", 30)
    if bool(lat) != bool(long):
        raise Open311Error(400, _("lat 与 long 须同时提供。"))
    if not address and not lat:
        raise Open311Error(400, _("请提供 lat/long 或 address_string。"))
    lines = [_("地点：%(address)s") % {"address": address}] if address else []
    if lat:
        lines.append(
            _("坐标：%(lat)s, %(long)s")
            % {"lat": _coordinate(lat, "lat", 90), "long": _coordinate(long, "long", 180)}
        )
    return lines


def _media(data) -> list[str]:
    url = _field(data, "media_url", 500)
    if not url:
        return []
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise Open311Error(400, _("media_url 不是有效的网址。")) from None
    return [_("图片链接：%(url)s") % {"url": url}]


def _title(description: str) -> str:
    first_line = description.splitlines()[0].strip() if description else ""
    return first_line if len(first_line) <= TITLE_MAX else first_line[: TITLE_MAX - 1] + "…"


def file_request(*, user, data, idempotency_key: str | None) -> dict:
    """Validate a POST requests payload and submit it; returns the spec's answer (+ created)."""
    code = _field(data, "service_code", 40)
    if not code:
        raise Open311Error(400, _("缺少 service_code。"))
    category = selectors.service_get(code)
    if category is None:
        raise Open311Error(400, _("service_code %(code)s 不存在。") % {"code": code})
    agency_code = _attribute(data, "agency", 40)
    if not agency_code:
        raise Open311Error(400, _("缺少 attribute[agency]（被投诉单位代码）。"))
    agency = Agency.objects.filter(code=agency_code, is_active=True).first()
    if agency is None:
        raise Open311Error(400, _("被投诉单位 %(code)s 不存在或已撤销。") % {"code": agency_code})
    description = _field(data, "description", DESCRIPTION_MAX)
    if not description:
        raise Open311Error(400, _("缺少 description（投诉内容）。"))
    text = "\n".join([description, *_location(data), *_media(data)])
    name = _field(data, "last_name", 20) + _field(data, "first_name", 20)
    key = (idempotency_key or "").strip()[:100]
    submitted = complaint_submit(
        category=category,
        agency_accused=agency,
        title=_title(description),
        description=text,
        accused_person=_attribute(data, "accused_person"),
        anonymous=not name,
        consent_share_identity=_attribute(data, "consent_share_identity", 10) == "yes",
        complainant_name=name,
        complainant_phone=_field(data, "phone", 20),
        complainant_email=_field(data, "email", 254),
        submission_key=f"open311:{user.pk}:{key}" if key else None,
        channel="open311",
    )
    return {
        "service_request_id": submitted.complaint.tracking_no,
        "service_notice": _(
            "投诉已提交，预计 %(date)s 前办结。请将查询码转告投诉人，凭编号和查询码查询进度。"
        )
        % {"date": submitted.expected_by.isoformat()},
        "account_id": None,
        "query_code": submitted.query_code,
        "created": submitted.created,
    }

"""Checks on what a complainant typed: name and contact for a real-name complaint, formats.

Each refusal names the field, so the form puts the message beside it and keeps the input.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from efficiency_portal.errors import ApplicationError


def clean_contact(*, anonymous: bool, name: str, phone: str, id_number: str, email: str):
    name, phone, id_number, email = (v.strip() for v in (name, phone, id_number, email))
    if anonymous:
        return "", phone, "", email  # a number or address only to receive progress notices
    if not name:
        raise ApplicationError(_("实名投诉请填写姓名。"), code="required", field="complainant_name")
    if not phone and not email:
        raise ApplicationError(
            _("实名投诉请至少留一种联系方式（手机或邮箱）。"),
            code="required",
            field="complainant_phone",
        )
    if len(name) > 40:
        raise ApplicationError(_("姓名过长。"), code="too_long", field="complainant_name")
    if id_number and not (
        len(id_number) in (15, 18) and id_number[:-1].isdigit() and id_number[-1] in "0123456789Xx"
    ):
        raise ApplicationError(
            _("身份证号格式不正确。"), code="invalid", field="complainant_id_number"
        )
    return name, phone, id_number.upper(), email


def check_phone_and_email(phone: str, email: str) -> None:
    digits = phone.replace("-", "").replace(" ", "").lstrip("+")
    if phone and not (digits.isdigit() and 7 <= len(digits) <= 15):
        raise ApplicationError(_("电话号码格式不正确。"), code="invalid", field="complainant_phone")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ApplicationError(
                _("邮箱格式不正确。"), code="invalid", field="complainant_email"
            ) from None

"""Checks on what a complainant typed: name and contact for a real-name complaint, formats.

Each refusal names the field, so the form puts the message beside it and keeps the input.
``contact_problems`` lists every problem at once (the intake form shows them all in one
answer); ``clean_contact`` and ``check_phone_and_email`` raise the first (the service).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from efficiency_portal.errors import ApplicationError


def contact_problems(
    *, anonymous: bool, name: str, phone: str, id_number: str, email: str
) -> list[ApplicationError]:
    """Every problem of the complainant's fields, in the order the form shows them."""
    name, phone, id_number, email = (v.strip() for v in (name, phone, id_number, email))
    problems = [] if anonymous else _identity_problems(name, phone, id_number, email)
    return problems + _format_problems(phone, email)


def _identity_problems(name: str, phone: str, id_number: str, email: str) -> list:
    """What a real-name complaint must have: a name, a way to reach them, a well-formed ID."""
    problems = []
    if not name:
        problems.append(
            ApplicationError(_("实名投诉请填写姓名。"), code="required", field="complainant_name")
        )
    elif len(name) > 40:
        problems.append(
            ApplicationError(_("姓名过长。"), code="too_long", field="complainant_name")
        )
    if not phone and not email:
        problems.append(
            ApplicationError(
                _("实名投诉请至少留一种联系方式（手机或邮箱）。"),
                code="required",
                field="complainant_phone",
            )
        )
    if id_number and not (
        len(id_number) in (15, 18) and id_number[:-1].isdigit() and id_number[-1] in "0123456789Xx"
    ):
        problems.append(
            ApplicationError(
                _("身份证号格式不正确。"), code="invalid", field="complainant_id_number"
            )
        )
    return problems


def clean_contact(*, anonymous: bool, name: str, phone: str, id_number: str, email: str):
    name, phone, id_number, email = (v.strip() for v in (name, phone, id_number, email))
    if anonymous:
        return "", phone, "", email  # a number or address only to receive progress notices
    problems = _identity_problems(name, phone, id_number, email)
    if problems:
        raise problems[0]
    return name, phone, id_number.upper(), email


def check_phone_and_email(phone: str, email: str) -> None:
    problems = _format_problems(phone, email)
    if problems:
        raise problems[0]


def phone_is_valid(phone: str) -> bool:
    digits = phone.replace("-", "").replace(" ", "").lstrip("+")
    return digits.isdigit() and 7 <= len(digits) <= 15


def _format_problems(phone: str, email: str) -> list[ApplicationError]:
    problems = []
    if phone and not phone_is_valid(phone):
        problems.append(
            ApplicationError(_("电话号码格式不正确。"), code="invalid", field="complainant_phone")
        )
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(
                ApplicationError(_("邮箱格式不正确。"), code="invalid", field="complainant_email")
            )
    return problems

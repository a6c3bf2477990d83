"""Rows for the privacy tests that model_bakery alone cannot build.

A builder ``(agency=…, values={field: value}) -> row`` returns a saved row that
belongs to ``agency`` and holds ``values`` (the tests set them again with an UPDATE).

* ``BUILDERS``: rows whose model has a check constraint or a service baker does not know.
* ``PUBLISHED``: rows as the public pages show them — for the page and endpoint test,
  which must find what a citizen could find. Add one when a new app publishes rows.

Every other model is built the way the scoping test builds it.
"""

from __future__ import annotations

import itertools

from model_bakery import baker

from complaints.models import Complaint, ComplaintCategory
from organizations.models import Agency, AgencyCategory
from organizations.roles import Role
from supervision.models import ThresholdRule
from tests.complaints.conftest import submit, to_state
from tests.conftest import make_agency, make_staff
from timelimits.models import Notification

_serial = itertools.count(1)

_IDENTITY = {
    "complainant_name": "王小明",
    "complainant_phone": "13912345678",
    "complainant_id_number": "110101199001011234",
    "complainant_email": "wang@example.com",
}


def _centre() -> Agency:
    code = "P-XNB"  # COMPLAINTS_OFFICE_AGENCY_CODE: the clocks of intake run there
    return Agency.objects.filter(code=code).first() or make_agency(
        name="市效能投诉中心", category=AgencyCategory.objects.get(code="party"), code=code
    )


def published_complaint(*, agency: Agency, values: dict) -> Complaint:
    """An answered case (so it is on the public pages) handled by ``agency``, whose
    complainant did not consent to be known and wrote who they are into the matter, as
    people do: "我是王小明，电话13912345678……"."""
    identity = {**_IDENTITY, **{k: v for k, v in values.items() if k in _IDENTITY}}
    centre = _centre()
    office = make_staff(agency=centre, roles=[Role.EFFICIENCY_OFFICE], name="隐私效能")
    clerk = make_staff(agency=agency, roles=[Role.HANDLER], name="隐私办理")
    submitted = submit(
        agency=agency,
        category=ComplaintCategory.objects.get(code="attitude"),
        title=f"窗口推诿第{next(_serial)}件",
        description=(
            f"我是{identity['complainant_name']}，电话{identity['complainant_phone']}，"
            f"身份证{identity['complainant_id_number']}，邮箱{identity['complainant_email']}。"
            "在3号窗口办理营业执照被推诿三次。"
        ),
        consent_share_identity=False,
        **identity,
    )
    return to_state(
        submitted.complaint, Complaint.State.REPLIED, office=office, clerk=clerk, agency=agency
    )


def notification(*, agency: Agency, values: dict) -> Notification:
    """A notice to a complainant's phone (SMS) or, when an address is asked for, e-mail."""
    email = values.get("to_email")
    return Notification.objects.create(
        channel="email" if email else "sms",
        to_email=email or "",
        to_phone="" if email else values.get("to_phone", "13912345678"),
        subject="投诉进展",
        body="您的投诉已受理。",
        dedupe_key=f"privacy-test-{next(_serial)}",
    )


def sanction_appeal(*, agency: Agency, values: dict):
    """An appeal against a sanction that a threshold rule proposed (the sanction must name
    its source: ``sanction_has_its_source``)."""
    rule = ThresholdRule.objects.filter(counts="red_cards").first()
    proposal = baker.make("supervision.SanctionProposal", agency=agency, rule=rule)
    return baker.make(
        "supervision.SanctionAppeal",
        sanction__agency=agency,
        sanction__source_type="rule",
        sanction__source_proposal=proposal,
        reason=values.get("reason", "申诉理由"),
    )


BUILDERS = {
    "timelimits.Notification": notification,
    "supervision.SanctionAppeal": sanction_appeal,
}
PUBLISHED = {"complaints.Complaint": published_complaint}


def baker_row(model):
    return baker.make(model)

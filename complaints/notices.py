"""Who hears about a step: staff through the engine's outbox, the complainant by SMS/e-mail.

Both are outbox rows of the deadline engine written in the step's transaction:
staff by user (``timelimits.services.notify``), the complainant — who has no
account — by phone number and e-mail address (``notify_address``). The engine's
delivery task sends them after commit, once; a rolled-back step announces nothing.

A notice "to the agency" reaches every clerk (承办人) of it, not one account. Each
staff notice has a kind derived from its key ("signed:3" → ``complaint.signed``):
the engine's ``NoticePolicy`` says whether it interrupts (a case to sign for) or
waits for the reader's daily digest (a case was signed for). Subjects written with
``text(gettext_noop(…), …)`` are stored untranslated too, so the English inbox reads
them in English.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from complaints.models import Complaint
from organizations.models import StaffProfile
from organizations.roles import Role
from timelimits import services as engine
from timelimits.models import render_subject


def case_link(complaint: Complaint) -> str:
    return reverse("admin:complaints_complaint_change", args=[complaint.pk])


def follow_url(complaint: Complaint) -> str:
    return f"{settings.SITE_URL}{reverse('complaints:follow')}?no={complaint.tracking_no}"


@dataclass(frozen=True)
class Text:
    """A subject kept untranslated with its values, so each reader's inbox shows their language.

    ``text(gettext_noop("投诉 %(no)s 已由承办单位签收"), no=…)``; ``labels`` are values that
    are themselves translatable labels (a status), translated when shown too.
    """

    template: str
    params: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return render_subject(self.template, self.params, fallback=self.template)


def text(template: str, *, labels: tuple[str, ...] = (), **params) -> Text:
    with translation.override(None):  # a lazy label yields its untranslated source text
        values = {name: str(value) for name, value in params.items()}
    if labels:
        values["_t"] = list(labels)
    return Text(template, values)


def kind_of(key: str) -> str:
    """The notice kind (a ``timelimits.NoticePolicy`` code) from a notice key: "signed:3" →
    "complaint.signed". A kind without a policy row is sent at once."""
    return f"complaint.{key.split(':', 1)[0]}"


def to_staff(
    user, *, complaint: Complaint, subject: str | Text, body: str = "", key: str, kind: str = ""
) -> None:
    if user is None:
        return
    template, params = "", {}
    if isinstance(subject, Text):
        template, params = subject.template, subject.params
        with translation.override(settings.LANGUAGE_CODE):  # the stored text: Chinese
            subject = str(subject)
    engine.notify(
        recipient=user,
        subject=subject,
        body=body,
        channels=["in_app"],
        dedupe_key=f"complaint:{complaint.pk}:{key}",
        link=case_link(complaint),
        kind=kind or kind_of(key),
        template=template,
        params=params,
    )


def clerks_of(agency) -> list:
    """Who works a case routed to ``agency``: every active 承办人 of it who may handle
    complaints; its unit heads when it has none (a notice never goes nowhere)."""
    users = get_user_model().objects.filter(is_active=True, staff_profile__agency=agency)
    handle = Permission.objects.filter(
        content_type__app_label="complaints", codename="handle_complaint"
    ).first()
    clerks = (
        users.filter(groups__name=Role.HANDLER)
        .filter(Q(groups__permissions=handle) | Q(user_permissions=handle) | Q(is_superuser=True))
        .distinct()
        .order_by("pk")
    )
    found = list(clerks) if handle is not None else []
    if found:
        return found
    heads = StaffProfile.objects.filter(
        agency=agency, is_unit_head=True, user__is_active=True
    ).select_related("user")
    return [profile.user for profile in heads.order_by("user_id")]


def to_agency(
    agency, *, complaint: Complaint, subject: str | Text, body: str = "", key: str, kind: str = ""
) -> None:
    """Every clerk of ``agency`` (one notice each), e.g. when a case is routed to it."""
    if agency is None:
        return
    for user in clerks_of(agency):
        to_staff(user, complaint=complaint, subject=subject, body=body, key=key, kind=kind)


def to_complainant(complaint: Complaint, *, message: str) -> None:
    """SMS and/or e-mail to the complainant, if they left a number or address.

    Outbox rows to the address, written in the step's transaction (a rolled-back
    step announces nothing; a broker that is down at commit only delays it), keyed
    on the case and the message so the same notice is written once.
    """
    if not (complaint.complainant_phone or complaint.complainant_email):
        return
    digest = hashlib.sha256(message.encode()).hexdigest()[:32]
    engine.notify_address(
        phone=complaint.complainant_phone,
        email=complaint.complainant_email,
        subject=_("效能投诉 %(no)s") % {"no": complaint.tracking_no},
        body=message,
        dedupe_key=f"complaint:{complaint.pk}:complainant:{digest}",
    )

"""The public timeline (办理经过) in the reader's language.

A timeline line is written once, when its step happens, in the language of whoever took
the step: a clerk reading the admin in English writes English, a citizen filing in Chinese
writes Chinese. The reader may read the other language. So a line whose text is one of the
services' public messages below is shown again in the reader's language — its parameters
kept as written (a case number, a date, a reason) or relabelled (an outcome or a rating by
its label, an agency by its display name). Any other line shows as written.

The messages are the services' own ``_()`` texts; one reworded there and not here is
simply shown as written.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as N_

from complaints.models import Complaint, ComplaintEvent
from organizations.models import Agency

MESSAGES = (
    N_("投诉已提交，等待投诉中心登记。"),
    N_("投诉中心已登记受理您的投诉。"),
    N_("您的投诉不属于效能投诉受理范围：%(reason)s"),
    N_("经复核，您的投诉已予受理。"),
    N_("投诉已交%(agency)s办理。"),
    N_("承办单位已签收，正在调查核实。"),
    N_("经批准，办理期限延长至 %(due)s。"),
    N_("调查已完成，结论：%(outcome)s。"),
    N_("承办单位已答复，请查看答复内容并评价。"),
    N_("投诉人评价：%(rating)s。"),
    N_("已按您的要求重新办理。"),
    N_("投诉中心已回访。"),
    N_("投诉已办结归档。"),
    N_("您的投诉与同类投诉 %(no)s 合并办理，办理进展请查看该编号。"),
    N_("同类投诉 %(no)s 已并入本投诉一并办理。"),
    N_("合并目标变更为 %(no)s。"),
    N_("已撤销与投诉 %(no)s 的合并，您的投诉单独办理。"),
    N_("投诉 %(no)s 已撤销合并，单独办理。"),
)
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")
# Parameters written as a choice's label: shown as that choice's label in the reader's language.
_CHOICES = {"outcome": Complaint.Outcome, "rating": Complaint.Rating}


def _pattern(text: str) -> re.Pattern:
    parts = _PLACEHOLDER.split(text)  # literal, name, literal, name, …
    regex = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)
    )
    return re.compile(f"^{regex}$", re.DOTALL)


def _match(message: str) -> tuple[str, dict[str, str], str] | None:
    """(msgid, parameters as written, language written in) of a known message, else None."""
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for msgid in MESSAGES:
                found = _pattern(gettext(msgid)).match(message)
                if found:
                    return msgid, found.groupdict(), code
    return None


def _relabel(name: str, value: str, written_in: str) -> str:
    choices = _CHOICES.get(name)
    if choices is not None:
        with translation.override(written_in):
            by_label = {str(label): key for key, label in choices.choices}
        return str(choices(by_label[value]).label) if value in by_label else value
    if name == "agency":
        agency = Agency.objects.filter(Q(name=value) | Q(name_en=value)).first()
        return agency.display_name if agency else value
    return value


def public_message(event: ComplaintEvent) -> str:
    """The event's public line in the active language (as written when it is not known)."""
    message = event.public_message
    known = _match(message)
    if known is None:
        return message
    msgid, params, written_in = known
    if not params:
        return gettext(msgid)
    shown = {name: _relabel(name, value, written_in) for name, value in params.items()}
    return gettext(msgid) % shown

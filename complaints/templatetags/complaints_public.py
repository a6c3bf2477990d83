"""Template filters of the public pages."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from complaints.timeline_text import public_message

register = template.Library()


@register.filter
def pct(value) -> str:
    """A public rate: "87.5%", or "样本不足" when it was computed from too few cases (None)."""
    if value is None:
        return format_html('<span class="muted">{}</span>', _("样本不足"))
    return f"{value}%"


@register.filter
def timeline_text(event) -> str:
    """A timeline line in the reader's language (``complaints.timeline_text``)."""
    return public_message(event)

"""Template filters of the public pages."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from complaints.public_selectors import anonymise as _anonymise

register = template.Library()


@register.filter
def anonymise(text: str) -> str:
    """Phone, ID and e-mail in free text masked; the result is still auto-escaped."""
    return _anonymise(text)


@register.filter
def pct(value) -> str:
    """A public rate: "87.5%", or "样本不足" when it was computed from too few cases (None)."""
    if value is None:
        return format_html('<span class="muted">{}</span>', _("样本不足"))
    return f"{value}%"

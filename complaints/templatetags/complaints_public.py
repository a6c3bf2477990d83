"""Template filters of the public pages."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from complaints.public_selectors import anonymise as _anonymise

register = template.Library()


@register.filter
def anonymise(text: str, names=()) -> str:
    """Phone, ID and e-mail in free text masked, and the case's personal names when given
    (``{{ c.title|anonymise:c.names_hidden }}``); the result is still auto-escaped."""
    # A missing variable arrives as "" (string_if_invalid): never its characters as names.
    return _anonymise(text, names if isinstance(names, list | tuple) else ())


@register.filter
def pct(value) -> str:
    """A public rate: "87.5%", or "样本不足" when it was computed from too few cases (None)."""
    if value is None:
        return format_html('<span class="muted">{}</span>', _("样本不足"))
    return f"{value}%"

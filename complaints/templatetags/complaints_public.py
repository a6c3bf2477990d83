"""Template filters of the public pages."""

from django import template

from complaints.public_selectors import anonymise as _anonymise

register = template.Library()


@register.filter
def anonymise(text: str) -> str:
    """Phone, ID and e-mail in free text masked; the result is still auto-escaped."""
    return _anonymise(text)

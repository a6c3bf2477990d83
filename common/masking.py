"""Masking of personal numbers wherever they are shown (phone, ID card)."""

from __future__ import annotations


def mask_phone(phone: str) -> str:
    """138****5678: keep the first three and last four digits."""
    digits = (phone or "").strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


def mask_id_number(id_number: str) -> str:
    """110***********1234: keep the region's first three and the last four characters."""
    value = (id_number or "").strip()
    if len(value) < 8:
        return "*" * len(value)
    return f"{value[:3]}{'*' * (len(value) - 7)}{value[-4:]}"


def mask_name(name: str) -> str:
    """张** — keep the family name only."""
    value = (name or "").strip()
    if not value:
        return ""
    return value[0] + "*" * max(len(value) - 1, 1)


def mask_email(email: str) -> str:
    """w***@example.com — keep the first character and the domain."""
    value = (email or "").strip()
    if "@" not in value:
        return mask_name(value)
    user, domain = value.split("@", 1)
    return f"{user[:1]}***@{domain}"

"""Uploads kept between two tries of the intake form, so a citizen never picks files twice.

When the form comes back with an error, each file that passed the checks
(``complaints.files.check_upload``) is kept in the cache under a random token that
rides in a hidden field; the next POST brings the token back and the files are
submitted with the complaint (checked again by ``complaint_submit``). Nothing is
written to the database before the complaint itself. Kept one hour.
"""

from __future__ import annotations

import secrets

from django.core.cache import cache
from django.core.files.base import ContentFile

from complaints.files import CheckedFile

_TTL_SECONDS = 3600


def _key(token: str) -> str:
    return f"complaints:stash:{token}"


def new_token() -> str:
    return secrets.token_urlsafe(24)


def load(token: str) -> list[CheckedFile]:
    if not token or len(token) > 64:
        return []
    return cache.get(_key(token)) or []


def save(token: str, files: list[CheckedFile]) -> None:
    cache.set(_key(token), files, timeout=_TTL_SECONDS)


def clear(token: str) -> None:
    cache.delete(_key(token))


def as_uploads(files: list[CheckedFile]) -> list[ContentFile]:
    return [ContentFile(f.content, name=f.name) for f in files]

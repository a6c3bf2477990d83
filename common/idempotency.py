"""Client idempotency keys: a repeated request with the same key does the work once.

A key comes from the ``Idempotency-Key`` header (IETF draft
"The Idempotency-Key HTTP Header Field") or a form/JSON field; it is namespaced by
who sent it (two integration accounts may pick the same key) and stored only as a
SHA-256, so a database dump does not hand out keys that replay someone's request.
"""

from __future__ import annotations

import hashlib

from django.utils.translation import gettext as _

from efficiency_portal.errors import ApplicationError

HEADER = "HTTP_IDEMPOTENCY_KEY"
MAX_LENGTH = 200


def key_from_request(request, *, field_value: str = "", namespace: str) -> str | None:
    """The namespaced key of this request, or None when the client sent none.

    The header wins over the field. A key longer than ``MAX_LENGTH`` is refused.
    """
    given = (request.META.get(HEADER) or field_value or "").strip()
    if not given:
        return None
    if len(given) > MAX_LENGTH or any(ord(c) < 32 for c in given):
        raise ApplicationError(
            _("幂等键过长或含有控制字符（最多 %(most)d 个字符）。") % {"most": MAX_LENGTH},
            code="bad_idempotency_key",
            field="submission_key",
        )
    return f"{namespace}:{given}"


def key_hash(key: str) -> str:
    """What is stored and looked up: the SHA-256 of the namespaced key, hex."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()

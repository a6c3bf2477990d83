"""Who is asking: the one client address every per-client limit counts by.

Used by the public pages' throttles (``complaints.pages.throttle``), the intake upload
stash's per-client bound (``complaints.pages.stash``) and the admin login lock
(django-axes, ``AXES_CLIENT_IP_CALLABLE``), so one person behind the proxy is one
client everywhere and two people are two.
"""

from __future__ import annotations

from django.conf import settings


def client_address(request) -> str:
    """The client's address: behind our own proxy, the last X-Forwarded-For hop.

    With ``BEHIND_PROXY`` (``SECURE_PROXY_SSL_HEADER`` is then set) every request comes
    from the proxy, which appends the address it saw to X-Forwarded-For. Only that last
    hop is trustworthy: anything left of it was sent by the client and can be forged.
    """
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.rsplit(",", 1)[-1].strip()
    return request.META.get("REMOTE_ADDR", "")

"""短信验证码: a real-name complainant proves the mobile number by a code sent to it.

On only when ``COMPLAINTS_SMS_VERIFY`` is. The intake form's "发送验证码" step calls
``send_code``; filing calls ``verify_code`` and, once the complaint is filed, ``forget``.

* The code goes out through the deadline engine's SMS backend (``TIMELIMITS_SMS_BACKEND``;
  the console backend in development logs it), sent at once rather than through the
  outbox, so the code itself is never written to the database.
* Redis keeps only a keyed hash of (number, code) and the wrong tries, under one key that
  expires after ``COMPLAINTS_SMS_CODE_SECONDS``; ``COMPLAINTS_SMS_CODE_ATTEMPTS`` wrong
  tries burn the code. Redis keys name the number only through a keyed hash too.
* Resending waits ``COMPLAINTS_SMS_RESEND_SECONDS``, and one number receives at most
  ``COMPLAINTS_SMS_PHONE_LIMIT`` codes a throttling window, whoever asks (a stranger
  cannot flood someone's phone from many addresses).
"""

from __future__ import annotations

import hmac
import re
import secrets

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from efficiency_portal.errors import ApplicationError
from timelimits.backends import sms_backend

FIELD = "sms_code"
_MOBILE = re.compile(r"(?:\+?86)?(1[3-9]\d{9})")


def mobile_number(phone: str) -> str | None:
    """The 11-digit mainland mobile number in ``phone`` (spaces, dashes, +86 allowed), or None."""
    match = _MOBILE.fullmatch(re.sub(r"[\s-]", "", phone or ""))
    return match.group(1) if match else None


def _keys(mobile: str) -> tuple[str, str, str]:
    tag = salted_hmac("complaints.phone_codes.key", mobile).hexdigest()[:32]
    return tuple(
        cache.make_and_validate_key(f"complaints:sms:{part}:{tag}")
        for part in ("code", "wait", "sent")
    )


def _digest(mobile: str, code: str) -> str:
    return salted_hmac("complaints.phone_codes.code", f"{mobile}:{code}").hexdigest()


def _client(key: str):
    # Counters and hashes with expiries need Redis itself (as complaints.pages.throttle).
    return cache._cache.get_client(key, write=True)


def send_code(*, phone: str) -> int:
    """Send a new code to ``phone``; the seconds it stays valid. Refusals name ``sms_code``."""
    mobile = mobile_number(phone)
    if mobile is None:
        raise ApplicationError(
            _("请填写正确的手机号码以接收验证码。"), code="invalid", field="complainant_phone"
        )
    code_key, wait_key, sent_key = _keys(mobile)
    client = _client(code_key)
    with client.pipeline(transaction=True) as pipe:
        pipe.set(wait_key, 1, ex=settings.COMPLAINTS_SMS_RESEND_SECONDS, nx=True)
        pipe.ttl(wait_key)
        pipe.set(sent_key, 0, ex=settings.COMPLAINTS_THROTTLE_WINDOW_SECONDS, nx=True)
        pipe.incr(sent_key)
        free, wait, _new, sent = pipe.execute()
    if not free:
        raise ApplicationError(
            _("验证码已发送，请 %(seconds)d 秒后再重新获取。") % {"seconds": max(wait, 1)},
            code="sms_wait",
            field=FIELD,
        )
    if sent > settings.COMPLAINTS_SMS_PHONE_LIMIT:
        raise ApplicationError(
            _("该手机号获取验证码的次数过多，请稍后再试。"), code="sms_limit", field=FIELD
        )
    code = f"{secrets.randbelow(10**6):06d}"
    seconds = settings.COMPLAINTS_SMS_CODE_SECONDS
    with client.pipeline(transaction=True) as pipe:
        pipe.delete(code_key)
        pipe.hset(code_key, mapping={"digest": _digest(mobile, code), "tries": 0})
        pipe.expire(code_key, seconds)
        pipe.execute()
    try:
        sms_backend().deliver(
            to=mobile,
            subject="",
            body=_("您的效能投诉验证码为 %(code)s，%(minutes)d 分钟内有效，请勿告诉他人。")
            % {"code": code, "minutes": max(seconds // 60, 1)},
            idempotency_key=f"complaints-sms-code-{secrets.token_hex(12)}",
        )
    except Exception:
        client.delete(code_key, wait_key)  # nothing went out: the citizen may ask again now
        raise ApplicationError(
            _("验证码发送失败，请稍后重试。"), code="sms_failed", field=FIELD
        ) from None
    return seconds


def verify_code(*, phone: str, code: str) -> None:
    """Refuse (``ApplicationError`` on ``sms_code``) unless ``code`` is the live code of ``phone``."""
    mobile = mobile_number(phone)
    if mobile is None:
        raise ApplicationError(
            _("请填写正确的手机号码以接收验证码。"), code="invalid", field="complainant_phone"
        )
    code = re.sub(r"\s", "", code or "")
    if not code:
        raise ApplicationError(
            _("请填写短信验证码（先点击“发送验证码”）。"), code="required", field=FIELD
        )
    code_key = _keys(mobile)[0]
    client = _client(code_key)
    with client.pipeline(transaction=True) as pipe:
        pipe.hget(code_key, "digest")
        pipe.hincrby(code_key, "tries", 1)
        digest, tries = pipe.execute()
    if digest is None:  # expired or never sent (the HINCRBY made an empty key: drop it)
        client.delete(code_key)
        raise ApplicationError(
            _("验证码已过期或尚未获取，请重新点击“发送验证码”。"), code="sms_expired", field=FIELD
        )
    most = settings.COMPLAINTS_SMS_CODE_ATTEMPTS
    if tries > most:
        client.delete(code_key)
        raise ApplicationError(
            _("验证码错误次数过多，已失效，请重新获取验证码。"), code="sms_attempts", field=FIELD
        )
    if not hmac.compare_digest(digest.decode(), _digest(mobile, code)):
        if tries == most:
            client.delete(code_key)
            raise ApplicationError(
                _("验证码错误次数过多，已失效，请重新获取验证码。"),
                code="sms_attempts",
                field=FIELD,
            )
        raise ApplicationError(
            _("验证码不正确，还可以再试 %(left)d 次。") % {"left": most - tries},
            code="sms_wrong",
            field=FIELD,
        )
    with client.pipeline(transaction=True) as pipe:  # a right code: its try does not count
        pipe.hincrby(code_key, "tries", -1)
        pipe.ttl(code_key)
        _tries, ttl = pipe.execute()
    if ttl == -1:  # expired just now, and the HINCRBY made a key without an expiry
        client.delete(code_key)


def forget(*, phone: str) -> None:
    """The complaint is filed: its code cannot be used again."""
    mobile = mobile_number(phone)
    if mobile is not None:
        code_key = _keys(mobile)[0]
        _client(code_key).delete(code_key)

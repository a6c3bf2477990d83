"""Tracking numbers and query codes.

* Tracking number ``XN-2026-000123-7``: prefix, year, a database sequence, and an
  ISO 7064 MOD 11,10 check digit over the year and sequence digits — it catches
  every single mistyped digit and every swap of two adjacent digits.
* Query code ``7KQ2-M9XD-A4TP-WC3H``: 16 Crockford base-32 characters = 80 bits.
  It is stored only as a salted SHA-256; with 80 bits of entropy a fast hash is
  enough (nobody can enumerate 2^80 guesses), and it keeps the follow page fast.
  When the client sends a submission key, the code is derived from it with an
  HMAC under SECRET_KEY, so a repeated submission (a double click) gets back the
  same code it was shown the first time without the code ever being stored.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import connection

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
QUERY_CODE_CHARS = 16  # 16 × 5 bits = 80 bits ≥ the 64 the issue asks for
SEQUENCE = "complaints_tracking_seq"


def check_digit(digits: str) -> str:
    """ISO 7064 MOD 11,10 check digit of a string of decimal digits."""
    product = 10
    for ch in digits:
        total = (int(ch) + product) % 10 or 10
        product = (total * 2) % 11
    return str((11 - product) % 10)


def is_valid_tracking_no(value: str) -> bool:
    parts = (value or "").strip().upper().split("-")
    # ASCII digits: str.isdigit() also accepts "²", which int() refuses.
    if len(parts) != 4 or not all(p.isascii() and p.isdigit() for p in parts[1:]):
        return False
    return check_digit(parts[1] + parts[2]) == parts[3]


def normalise_tracking_no(value: str) -> str:
    return (value or "").strip().upper()


def format_tracking_no(*, year: int, serial: int) -> str:
    padded = f"{serial:06d}"
    return f"{settings.COMPLAINTS_TRACKING_PREFIX}-{year}-{padded}-{check_digit(f'{year}{padded}')}"


def next_tracking_no(*, year: int) -> str:
    """The next tracking number: the sequence's next value, with its check digit.

    The ORM has no spelling for a sequence, hence the one line of SQL; a sequence
    never hands out a value twice, even to concurrent transactions (a rolled-back
    filing leaves a gap, which is harmless).
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s)", [SEQUENCE])
        (serial,) = cursor.fetchone()
    return format_tracking_no(year=year, serial=serial)


def _format_code(raw: bytes) -> str:
    value = int.from_bytes(raw, "big")
    chars = []
    for _ in range(QUERY_CODE_CHARS):
        chars.append(CROCKFORD[value & 31])
        value >>= 5
    code = "".join(chars)
    return "-".join(code[i : i + 4] for i in range(0, QUERY_CODE_CHARS, 4))


def new_query_code(*, submission_key: str | None = None) -> str:
    if submission_key:
        raw = hmac.new(
            settings.SECRET_KEY.encode(), b"query-code:" + submission_key.encode(), hashlib.sha256
        ).digest()[:10]
    else:
        raw = secrets.token_bytes(10)
    return _format_code(raw)


def normalise_query_code(code: str) -> str:
    """Accept lower case, missing dashes, and the letters people confuse (O→0, I/L→1)."""
    cleaned = (code or "").upper().replace("-", "").replace(" ", "")
    cleaned = cleaned.translate(str.maketrans("OIL", "011"))
    return "-".join(cleaned[i : i + 4] for i in range(0, len(cleaned), 4))


def hash_query_code(code: str, *, salt: str | None = None) -> str:
    salt = salt or secrets.token_hex(8)
    digest = hashlib.sha256(f"{salt}:{normalise_query_code(code)}".encode()).hexdigest()
    return f"sha256${salt}${digest}"


def query_code_matches(code: str, stored: str) -> bool:
    try:
        _algo, salt, _digest = stored.split("$", 2)
    except ValueError:
        return False
    return hmac.compare_digest(hash_query_code(code, salt=salt), stored)


def hash_submission_key(key: str) -> str:
    return hashlib.sha256(f"submission:{key}".encode()).hexdigest()

"""The English catalogue holds each message once: parallel branches append their entries at the
end, and a merge can bring the same msgid twice with different English (only one would show)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import polib
from django.conf import settings

PO_PATH = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_each_message_has_one_english_translation():
    po = polib.pofile(str(PO_PATH))
    counts = Counter((entry.msgctxt, entry.msgid) for entry in po if not entry.obsolete)
    assert [key for key, n in counts.items() if n > 1] == []


def test_every_message_is_translated():
    po = polib.pofile(str(PO_PATH))
    missing = [e.msgid for e in po if not e.obsolete and not e.translated()]
    assert missing == []

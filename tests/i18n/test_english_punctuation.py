"""English uses half-width punctuation: no English translation may carry the Chinese
full-width comma, full stop, colon, semicolon or parentheses."""

from __future__ import annotations

import re
from pathlib import Path

import polib
from django.conf import settings

PO_PATH = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
FULL_WIDTH = re.compile("[，。：；（）、！？]")


def test_english_po_has_no_full_width_punctuation():
    po = polib.pofile(str(PO_PATH))
    offending = []
    for entry in po:
        targets = [entry.msgstr, *entry.msgstr_plural.values()]
        offending += [(entry.msgid, t) for t in targets if FULL_WIDTH.search(t)]
    assert not offending, offending

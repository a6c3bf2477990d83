"""The 拼音 sort key of a Chinese name: lists of agencies sort by it (长沙县… before 市…).

pypinyin reads polyphones by phrase (长沙 cháng shā, 重庆 chóng qìng), which a code-point or a
stroke sort cannot. The key is stored on the row (``Agency.name_pinyin``) when the name is
written, so reading a list costs nothing and works on a PostgreSQL built without ICU.
"""

from __future__ import annotations

from pypinyin import Style, lazy_pinyin


def sort_key(name: str) -> str:
    """ "市公安局" → "shi4 gong1 an1 ju2": syllables with tone numbers, then the name itself,
    so equal readings still sort the same way every time."""
    syllables = lazy_pinyin(name, style=Style.TONE3, neutral_tone_with_five=True)
    return " ".join(syllables).lower()[:400]

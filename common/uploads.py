"""An uploaded file once its checks passed (size, count, type sniffed from the bytes).

The checks are each app's (``complaints.files.check_upload``); this is only the shape
they hand on, so the upload stash (``common.stash``) can keep it without knowing the app.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    size: int
    sha256: str
    content: bytes

"""Checking an uploaded file: size, count, and its real type sniffed from the bytes.

The browser's content type and the file name's extension are never trusted: a
renamed executable sniffs as what it is and is refused. Old Office formats
(.doc/.xls/.ppt) share one container (OLE2), so a sniffed OLE2 file is accepted
as the Office type its extension names, and only if that type is allowed.

The sniffed type also names the file: it is stored under that type's extension
(``complaints.storage``) and downloaded as ``<the citizen's name without its
extension>.<that extension>`` with that Content-Type. A PNG called ``page.html``
is kept and served as ``page.png``; the name as uploaded is only display text.
"""

from __future__ import annotations

import hashlib
from pathlib import PurePosixPath

import filetype
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from common.uploads import CheckedFile  # the checked file's shape, shared with common.stash
from efficiency_portal.errors import ApplicationError

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE2_BY_EXTENSION = {
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
}
_HEAD_BYTES = 8192


def _sniff(head: bytes, name: str) -> str | None:
    if head.startswith(_OLE2_MAGIC):
        return _OLE2_BY_EXTENSION.get(name.rsplit(".", 1)[-1].lower())
    kind = filetype.guess(head)
    return kind.mime if kind else None


def extension_for(content_type: str) -> str:
    """The file-name extension of a sniffed type (``image/png`` → ``png``)."""
    kind = filetype.get_type(mime=content_type)
    return kind.extension if kind else "bin"


def download_name(display_name: str, content_type: str) -> str:
    """The name a download is saved under: the citizen's stem, the sniffed type's extension."""
    stem = PurePosixPath(display_name).stem.strip() or "file"
    return f"{stem}.{extension_for(content_type)}"


def check_upload(upload, *, field: str = "attachments") -> CheckedFile:
    """Read ``upload`` (a Django UploadedFile or any object with name/read) and validate it."""
    name = (getattr(upload, "name", "") or "file").rsplit("/", 1)[-1][-200:]
    limit = settings.COMPLAINTS_ATTACHMENT_MAX_BYTES
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise ApplicationError(
            _("文件“%(name)s”超过 %(limit)s，请压缩后再上传。")
            % {"name": name, "limit": filesizeformat(limit)},
            code="file_too_big",
            field=field,
        )
    if not content:
        raise ApplicationError(
            _("文件“%(name)s”是空的。") % {"name": name}, code="file_empty", field=field
        )
    sniffed = _sniff(content[:_HEAD_BYTES], name)
    if sniffed not in settings.COMPLAINTS_ALLOWED_TYPES:
        raise ApplicationError(
            _("文件“%(name)s”的类型不被接受：只接受图片、PDF 和 Office 文档。") % {"name": name},
            code="file_type",
            field=field,
        )
    return CheckedFile(
        name=name,
        content_type=sniffed,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
    )


def check_uploads(uploads, *, already: int = 0, field: str = "attachments") -> list[CheckedFile]:
    uploads = list(uploads or [])
    most = settings.COMPLAINTS_ATTACHMENT_MAX_COUNT
    if already + len(uploads) > most:
        raise ApplicationError(
            _("附件最多 %(most)d 个。") % {"most": most}, code="too_many_files", field=field
        )
    return [check_upload(upload, field=field) for upload in uploads]

"""Where attachments live: a private directory (or bucket prefix) no URL maps to.

Files are read back only through ``complaints.views.attachment_download``, which
checks that the user may see the case first.
"""

from __future__ import annotations

import os
import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.utils import timezone

from complaints.files import extension_for


class PrivateFileStorage(FileSystemStorage):
    """FileSystemStorage under COMPLAINTS_FILES_ROOT, read at use time; it has no URL at all."""

    @property
    def base_location(self):
        return str(settings.COMPLAINTS_FILES_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("complaint attachments have no public URL")


def attachment_storage():
    if settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage"):
        return PrivateFileStorage()
    return storages["default"]


def attachment_upload_to(instance, filename: str) -> str:
    # The user's file name never reaches the path (it is kept in original_name, as display
    # text); the extension is the sniffed type's, so a PNG named page.html is stored as .png.
    extension = extension_for(instance.content_type)
    return f"complaints/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.{extension}"

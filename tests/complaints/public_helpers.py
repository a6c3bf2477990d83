"""Helpers of the citizen/public page tests: a client with an address of its own, upload bytes."""

from __future__ import annotations

import secrets

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

# The smallest valid PNG: a sniffer sees image/png.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d4944415478da63f8cfc0f01f0005000201a5f7e2a30000000049454e44ae426082"
)


def citizen() -> Client:
    """A client at an address no other test uses, so throttling counters never collide."""
    return Client(
        REMOTE_ADDR=f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.{secrets.randbelow(250) + 1}"
    )


def png(name: str = "现场照片.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def forged(name: str = "合同.pdf") -> SimpleUploadedFile:
    """An executable renamed to .pdf and declared as a PDF: the bytes say otherwise."""
    return SimpleUploadedFile(name, b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")

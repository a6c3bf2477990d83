"""Uploads kept between two tries of a form, so nobody picks the same files twice.

First written for the citizen's intake form (``complaints.pages.intake``), also used by
the inspection form (``supervision.views_inspections``). When a form comes back (an
error, a search, a suggestion), the files that passed the caller's checks (for example
``complaints.files.check_upload``) are kept on disk in
``<COMPLAINTS_FILES_ROOT>/stash/<token>/`` — inside the private directory no URL maps
to — with a small ``meta.json`` (names, types, sizes, digests, the client, when). The
token rides in a hidden field; the next POST brings it back and the files go with the
row they belong to (checked again by its service). Nothing is written to the database,
and nothing large to Redis (the Celery broker, which must never fill up), before that
row. Every form shares the one directory and its bounds; the settings keep the names
of their first user (``COMPLAINTS_STASH_*``), and complaints' beat task
(``complaints.tasks.remove_expired_upload_stashes``) cleans it for all of them.

Bounds (settings), applied by every save:

* ``COMPLAINTS_STASH_SECONDS``: a stash is kept this long after its last save. Expired
  stashes are never loaded; the next save removes them (clean-on-write), and so does
  beat every ten minutes (``remove_expired``), so no citizen's file outstays it long.
* ``COMPLAINTS_STASH_CLIENT_MAX_BYTES``: what one client address may have kept in all
  its stashes. Files past it are not kept, and the form names them.
* ``COMPLAINTS_STASH_TOTAL_MAX_BYTES`` and ``…_TOTAL_MAX_COUNT``: what all clients
  together may have kept. The stashes saved longest ago are cleared to make room; the
  cache keeps only the cleared files' names (small), so that citizen's next try says
  which files to choose again instead of dropping them silently.

Every read and change holds an flock on ``stash/.lock`` (shared to read, exclusive to
change), so several web processes on one host share the directory safely. Several
hosts need the directory on a volume they all mount (as local attachment storage
already does) or a proxy that keeps each client on one host.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from common.uploads import CheckedFile

_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")  # secrets.token_urlsafe(24); also a safe path part
_META = "meta.json"


@dataclass(frozen=True)
class Kept:
    files: list[CheckedFile]
    cleared: list[str]  # names of earlier files cleared to make room: to be chosen again


@dataclass(frozen=True)
class Saved:
    kept: list[CheckedFile]
    refused: list[CheckedFile]  # over the client's bound (or larger than all stashes may be)


@dataclass(frozen=True)
class _Entry:
    token: str
    owner: str
    size: int
    saved_at: float


def new_token() -> str:
    return secrets.token_urlsafe(24)


def valid_token(token: str) -> bool:
    return bool(_TOKEN.fullmatch(token or ""))


def load(token: str) -> Kept:
    """The files kept under ``token``, and the names of any cleared to make room."""
    if not valid_token(token):
        return Kept([], [])
    with _locked(exclusive=False) as root:
        # Read under the lock, which a save clearing this stash holds while it notes the names.
        cleared = cache.get(_cleared_key(token)) or []
        if cleared:
            cache.delete(_cleared_key(token))  # said once, on this try
        meta = _read_meta(root / token)
        if meta is None or _expired(meta, time.time()):
            return Kept([], cleared)
        files = []
        for item in meta["files"]:
            try:
                content = (root / token / item["sha256"]).read_bytes()
            except OSError:  # removed behind our back: say so like a cleared file
                cleared.append(item["name"])
                continue
            files.append(
                CheckedFile(
                    name=item["name"],
                    content_type=item["content_type"],
                    size=item["size"],
                    sha256=item["sha256"],
                    content=content,
                )
            )
    return Kept(files, cleared)


def save(token: str, files: list[CheckedFile], *, client: str) -> Saved:
    """Keep ``files`` under ``token`` for the next try, within the bounds.

    1. Remove expired stashes; read what every other stash holds.
    2. Keep the files, in order, that fit the client's bound (and the total bound);
       refuse the rest.
    3. Clear the stashes saved longest ago until the total bounds have room.
    4. Write the files and then ``meta.json`` (a crash in between leaves a directory
       without metadata, which the next save removes).
    """
    if not valid_token(token):
        raise ValueError("not a stash token")
    owner = salted_hmac("complaints.stash.client", client).hexdigest()[:32]
    now = time.time()
    with _locked(exclusive=True) as root:
        others = [entry for entry in _live_entries(root, now) if entry.token != token]
        kept, refused = _within_client_bound(files, others, owner)
        if not kept:
            _remove(root, token)
            return Saved([], refused)
        _make_room(root, others, size=sum(f.size for f in kept))
        _write(root / token, kept, owner=owner, saved_at=now)
    return Saved(kept, refused)


def remove_expired() -> int:
    """Remove every expired stash (beat runs this; each save does it too); how many went."""
    with _locked(exclusive=True) as root:
        before = sum(1 for d in root.iterdir() if d.is_dir())
        left = len(_live_entries(root, time.time()))
    return before - left


def clear(token: str) -> None:
    if valid_token(token):
        with _locked(exclusive=True) as root:
            _remove(root, token)


def as_uploads(files: list[CheckedFile]) -> list[ContentFile]:
    return [ContentFile(f.content, name=f.name) for f in files]


def refused_message(files: list[CheckedFile]) -> str:
    return _("附件暂存已达上限，以下附件未能保留，提交时请重新选择：%(names)s。") % {
        "names": "、".join(f.name for f in files)
    }


def cleared_message(names: list[str]) -> str:
    return _("服务器暂存空间已满，您之前上传的附件已被清除，请重新选择：%(names)s。") % {
        "names": "、".join(names)
    }


# --- on disk ------------------------------------------------------------------------


def _cleared_key(token: str) -> str:
    return f"complaints:stash:cleared:{token}"


@contextlib.contextmanager
def _locked(*, exclusive: bool):
    root = Path(settings.COMPLAINTS_FILES_ROOT) / "stash"
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    with open(root / ".lock", "a+b") as handle:  # closing the file releases the lock
        fcntl.flock(handle, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        yield root


def _read_meta(directory: Path) -> dict | None:
    try:
        meta = json.loads((directory / _META).read_text())
        meta["size"] = sum(int(item["size"]) for item in meta["files"])
        if not isinstance(meta["saved_at"], float) or not isinstance(meta["owner"], str):
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None  # none yet, or left half-written by a crash
    return meta


def _expired(meta: dict, now: float) -> bool:
    return now - meta["saved_at"] >= settings.COMPLAINTS_STASH_SECONDS


def _live_entries(root: Path, now: float) -> list[_Entry]:
    """Every stash that has not expired; expired and half-written ones are removed."""
    entries = []
    for directory in root.iterdir():
        if not (valid_token(directory.name) and directory.is_dir()):
            continue
        meta = _read_meta(directory)
        if meta is None or _expired(meta, now):
            shutil.rmtree(directory, ignore_errors=True)
            continue
        entries.append(_Entry(directory.name, meta["owner"], meta["size"], meta["saved_at"]))
    return entries


def _within_client_bound(files, others: list[_Entry], owner: str):
    room = settings.COMPLAINTS_STASH_CLIENT_MAX_BYTES - sum(
        e.size for e in others if e.owner == owner
    )
    room = min(room, settings.COMPLAINTS_STASH_TOTAL_MAX_BYTES)
    kept, refused = [], []
    for f in files:
        if f.size <= room:
            kept.append(f)
            room -= f.size
        else:
            refused.append(f)
    return kept, refused


def _make_room(root: Path, others: list[_Entry], *, size: int) -> None:
    """Clear the stashes saved longest ago until this one fits both total bounds."""
    total = sum(e.size for e in others)
    count = len(others)
    for oldest in sorted(others, key=lambda e: e.saved_at):
        if (
            total + size <= settings.COMPLAINTS_STASH_TOTAL_MAX_BYTES
            and count + 1 <= settings.COMPLAINTS_STASH_TOTAL_MAX_COUNT
        ):
            break
        meta = _read_meta(root / oldest.token) or {"files": []}
        left = settings.COMPLAINTS_STASH_SECONDS - (time.time() - oldest.saved_at)
        cache.set(
            _cleared_key(oldest.token),
            [item["name"] for item in meta["files"]],
            timeout=max(int(left), 1),
        )
        _remove(root, oldest.token)
        total -= oldest.size
        count -= 1


def _write(directory: Path, files: list[CheckedFile], *, owner: str, saved_at: float) -> None:
    directory.mkdir(mode=0o700, exist_ok=True)
    wanted = {f.sha256 for f in files}
    for f in files:
        path = directory / f.sha256
        if not path.exists():  # written by an earlier try: the digest names the content
            _write_atomically(path, f.content)
    meta = {
        "owner": owner,
        "saved_at": saved_at,
        "files": [
            {"name": f.name, "content_type": f.content_type, "size": f.size, "sha256": f.sha256}
            for f in files
        ],
    }
    _write_atomically(directory / _META, json.dumps(meta).encode())
    for path in directory.iterdir():  # files the citizen unticked
        if path.name != _META and path.name not in wanted:
            path.unlink()


def _write_atomically(path: Path, content: bytes) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(content)
    os.replace(partial, path)


def _remove(root: Path, token: str) -> None:
    shutil.rmtree(root / token, ignore_errors=True)

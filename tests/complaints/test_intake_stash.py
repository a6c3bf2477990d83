"""The intake form's upload stash: files wait on disk (never in Redis, the Celery broker)
between two tries, within a bound per client and one for all clients together, the oldest
stash going first; every refusal or clearing is said on the form, and a retry within the
time limit files the kept files."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import redis
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile

from complaints.files import check_upload
from complaints.models import Complaint
from complaints.pages import stash
from tests.complaints.public_helpers import PNG, citizen
from tests.complaints.test_pages_intake import URL, _fields, _form

CLEARED = "服务器暂存空间已满，您之前上传的附件已被清除，请重新选择："


def photo(name: str, size: int) -> SimpleUploadedFile:
    """A PNG of ``size`` bytes (a valid header; the sniffer sees image/png), unique by name."""
    head = PNG + name.encode()
    return SimpleUploadedFile(name, head + b"\x00" * (size - len(head)), content_type="image/png")


def stashed(settings) -> dict[str, int]:
    """Bytes kept on disk per stash token."""
    root = Path(settings.COMPLAINTS_FILES_ROOT) / "stash"
    if not root.exists():
        return {}
    return {
        d.name: sum(f.stat().st_size for f in d.iterdir() if f.name != "meta.json")
        for d in root.iterdir()
        if d.is_dir()
    }


def _key_sizes(store) -> dict[bytes, int]:
    """Every key of this Redis database with its MEMORY USAGE in bytes."""
    return {key: store.memory_usage(key) or 0 for key in store.scan_iter(count=1000)}


def try_with(client, form: dict, agency, category, *files, **fields):
    """One POST of the intake form; an empty title unless told, so the form comes back.

    ``file_anyway``: these tests file similar complaints on purpose.
    """
    data = {**form, **_fields(agency, category, **{"title": "", "file_anyway": "1", **fields})}
    if files:
        data["attachments"] = list(files)
    return client.post(URL, data)


@pytest.fixture
def agency(agency_a, centre):
    return agency_a


def test_kept_files_wait_on_disk_not_in_redis_and_go_with_the_retry(agency, attitude, settings):
    client = citizen()
    form = _form(client)
    files = [photo(f"现场照片{i}.png", 1024 * 1024) for i in range(3)]
    store = redis.Redis.from_url(django_settings.REDIS_URL)
    before = _key_sizes(store)
    page = try_with(client, form, agency, attitude, *files).content.decode()
    assert "请填写投诉标题。" in page and "现场照片2.png" in page

    assert stashed(settings) == {form["upload_token"]: 3 * 1024 * 1024}
    after = _key_sizes(store)
    written = [size for key, size in after.items() if size != before.get(key)]
    assert max(written, default=0) < 64 * 1024  # nothing like a 1 MB file in the broker's memory
    assert sum(written) < 1024 * 1024

    response = try_with(client, form, agency, attitude, title="办证窗口推诿")
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert sorted(a.original_name for a in complaint.attachments.all()) == [
        "现场照片0.png",
        "现场照片1.png",
        "现场照片2.png",
    ]
    assert stashed(settings) == {}  # filed: the stash is gone


def test_one_client_keeps_no_more_than_its_bound_and_is_told_which_files(
    agency, attitude, settings
):
    settings.COMPLAINTS_STASH_CLIENT_MAX_BYTES = 3000
    client = citizen()
    first = _form(client)
    page = try_with(
        client, first, agency, attitude, photo("a.png", 2000), photo("b.png", 2000)
    ).content.decode()
    assert "附件暂存已达上限，以下附件未能保留，提交时请重新选择：b.png。" in page
    assert stashed(settings) == {first["upload_token"]: 2000}

    second = _form(client)  # the same client, a fresh form: its bound is already used
    page = try_with(client, second, agency, attitude, photo("c.png", 2000)).content.decode()
    assert "以下附件未能保留，提交时请重新选择：c.png。" in page
    other = citizen()
    third = _form(other)
    try_with(other, third, agency, attitude, photo("d.png", 2000))
    assert stashed(settings) == {first["upload_token"]: 2000, third["upload_token"]: 2000}

    # Nothing is lost: the kept file and the one chosen again are both filed.
    retry = try_with(client, first, agency, attitude, photo("b.png", 2000), title="办证推诿")
    assert retry.status_code == 302
    filed = Complaint.objects.get()
    assert sorted(a.original_name for a in filed.attachments.all()) == ["a.png", "b.png"]


def test_the_oldest_stash_is_cleared_first_when_all_clients_reach_the_total_bound(
    agency, attitude, settings
):
    settings.COMPLAINTS_STASH_TOTAL_MAX_BYTES = 5000
    tries = []
    for name in ("a.png", "b.png", "c.png"):
        client = citizen()
        form = _form(client)
        try_with(client, form, agency, attitude, photo(name, 2000))
        tries.append((client, form))
    (oldest, oldest_form), (middle, middle_form), (_newest, newest_form) = tries
    assert set(stashed(settings)) == {middle_form["upload_token"], newest_form["upload_token"]}

    # The cleared citizen is told which file to choose again; nothing is filed without it.
    page = try_with(oldest, oldest_form, agency, attitude, title="办证推诿").content.decode()
    assert f"{CLEARED}a.png。" in page
    assert Complaint.objects.count() == 0
    refiled = try_with(oldest, oldest_form, agency, attitude, photo("a.png", 2000), title="推诿")
    assert refiled.status_code == 302

    kept = try_with(middle, middle_form, agency, attitude, title="办证窗口推诿")
    assert kept.status_code == 302
    names = {a.original_name for c in Complaint.objects.all() for a in c.attachments.all()}
    assert names == {"a.png", "b.png"}


def test_the_oldest_stash_goes_first_when_all_clients_reach_the_count_bound(
    agency, attitude, settings
):
    settings.COMPLAINTS_STASH_TOTAL_MAX_COUNT = 2
    forms = []
    for name in ("a.png", "b.png", "c.png"):
        client = citizen()
        form = _form(client)
        try_with(client, form, agency, attitude, photo(name, 100))
        forms.append(form["upload_token"])
    assert set(stashed(settings)) == set(forms[1:])


def test_concurrent_saves_never_hold_more_than_the_total_bound(settings):
    """20 clients saving at once (real threads, each its own flock): two stashes stay."""
    settings.COMPLAINTS_STASH_TOTAL_MAX_BYTES = 5000
    start = threading.Barrier(20)
    saved: list[int] = []

    def save(n: int):
        checked = check_upload(photo(f"{n}.png", 2000))
        start.wait(30)
        result = stash.save(stash.new_token(), [checked], client=f"10.9.0.{n}")
        saved.append(len(result.kept))

    threads = [threading.Thread(target=save, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert saved == [1] * 20  # every save was kept when made …
    assert sorted(stashed(settings).values()) == [2000, 2000]  # … and the oldest made room


def test_an_expired_stash_is_not_loaded_and_the_next_save_removes_it(agency, attitude, settings):
    settings.COMPLAINTS_STASH_SECONDS = 0  # every stash is past its time as soon as it is saved
    client, other = citizen(), citizen()
    form, other_form = _form(client), _form(other)
    try_with(client, form, agency, attitude, photo("a.png", 100))
    try_with(other, other_form, agency, attitude, photo("b.png", 100))
    assert set(stashed(settings)) == {other_form["upload_token"]}  # clean-on-write

    page = try_with(other, other_form, agency, attitude).content.decode()
    assert "b.png" not in page


def test_beat_removes_expired_stashes_without_waiting_for_a_save(agency, attitude, settings):
    from complaints.tasks import remove_expired_upload_stashes
    from efficiency_portal.schedule import full_schedule

    client = citizen()
    try_with(client, _form(client), agency, attitude, photo("a.png", 100))
    assert remove_expired_upload_stashes() == 0  # within its time: kept
    settings.COMPLAINTS_STASH_SECONDS = 0
    assert remove_expired_upload_stashes() == 1
    assert stashed(settings) == {}
    entry = full_schedule()["complaints-remove-expired-upload-stashes"]
    assert entry["task"] == "complaints.tasks.remove_expired_upload_stashes"


def test_a_throttled_post_says_its_new_files_were_not_kept(agency, attitude, settings):
    settings.COMPLAINTS_INTAKE_LIMIT = 1
    client = citizen()
    form = _form(client)
    try_with(client, form, agency, attitude, photo("a.png", 100))
    response = try_with(client, form, agency, attitude, photo("b.png", 100))
    page = response.content.decode()
    assert response.status_code == 429
    assert "本次选择的附件未能保留，请稍后重新选择。" in page
    assert "a.png" in page  # the earlier file is still kept
    assert list(stashed(settings).values()) == [100]


def test_a_forged_token_never_names_a_path(agency, attitude, settings, tmp_path):
    client = citizen()
    form = {**_form(client), "upload_token": "../../outside"}
    page = try_with(client, form, agency, attitude, photo("a.png", 100)).content.decode()
    assert "a.png" in page
    [token] = stashed(settings)
    assert token != "../../outside" and len(token) == 32
    assert not (tmp_path / "outside").exists()

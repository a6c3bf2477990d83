"""The outbox: written with the change, delivered once per channel, retried on failure."""

from __future__ import annotations

import uuid

import pytest
from django.core import mail
from django.db import transaction

from timelimits import delivery
from timelimits.backends import MemorySmsBackend
from timelimits.models import Notification
from timelimits.services import notify

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def memory_sms(settings):
    settings.TIMELIMITS_SMS_BACKEND = "timelimits.backends.MemorySmsBackend"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    MemorySmsBackend.outbox = []
    # Sent-markers live in Redis, shared by parallel test processes: a prefix of our own.
    caches = {"default": {**settings.CACHES["default"]}}
    caches["default"]["KEY_PREFIX"] = f"test-delivery-{uuid.uuid4().hex[:8]}"
    settings.CACHES = caches


def key() -> str:
    return f"test:{uuid.uuid4().hex}"


def test_same_key_to_same_person_is_written_once(clerk_a):
    k = key()
    notify(recipient=clerk_a, subject="甲", channels=["in_app"], dedupe_key=k)
    notify(recipient=clerk_a, subject="甲", channels=["in_app"], dedupe_key=k)
    assert Notification.objects.filter(recipient=clerk_a).count() == 1


def test_unknown_channel_is_refused(clerk_a):
    from efficiency_portal.errors import ApplicationError

    with pytest.raises(ApplicationError, match="未知的通知方式：fax。"):
        notify(recipient=clerk_a, subject="甲", channels=["fax"], dedupe_key=key())
    assert not Notification.objects.exists()


def test_delivery_sends_email_and_sms_and_marks_in_app_sent(clerk_a):
    clerk_a.email = "zhang@example.org"
    clerk_a.save()
    notify(
        recipient=clerk_a,
        subject="红灯",
        body="已超期",
        channels=["in_app", "email", "sms"],
        dedupe_key=key(),
    )
    result = delivery.deliver_pending()
    assert result.sent == 3
    assert [m.subject for m in mail.outbox] == ["【机关效能建设服务平台】红灯"]
    assert MemorySmsBackend.outbox[0]["to"] == clerk_a.staff_profile.phone
    assert set(Notification.objects.values_list("state", flat=True)) == {"sent"}


def test_a_crash_between_send_and_mark_never_sends_twice(clerk_a, monkeypatch):
    notify(recipient=clerk_a, subject="督办", channels=["sms"], dedupe_key=key())

    def crash(row):
        raise RuntimeError("worker killed after sending")

    monkeypatch.setattr(delivery, "_mark", crash)
    with pytest.raises(RuntimeError), transaction.atomic():
        delivery.deliver_pending()
    assert Notification.objects.get().state == "pending"  # the mark was lost
    monkeypatch.undo()
    delivery.deliver_pending()
    assert len(MemorySmsBackend.outbox) == 1
    assert Notification.objects.get().state == "sent"


def test_failing_backend_is_retried_then_marked_failed(clerk_a, settings, monkeypatch):
    settings.TIMELIMITS_DELIVERY_MAX_ATTEMPTS = 2
    notify(recipient=clerk_a, subject="督办", channels=["sms"], dedupe_key=key())

    def down(self, **kwargs):
        raise ConnectionError("gateway down")

    monkeypatch.setattr(MemorySmsBackend, "send", down)
    assert delivery.deliver_pending().retry_later is True
    row = Notification.objects.get()
    assert (row.state, row.attempts, row.last_error) == (
        "pending",
        1,
        "ConnectionError: gateway down",
    )
    delivery.deliver_pending()
    assert Notification.objects.get().state == "failed"


def test_recipient_without_email_is_failed_without_retry(clerk_a):
    notify(recipient=clerk_a, subject="x", channels=["email"], dedupe_key=key())
    result = delivery.deliver_pending()
    assert (result.failed, result.retry_later) == (1, False)
    assert Notification.objects.get().last_error == "recipient has no e-mail address"


def test_a_notice_to_an_address_is_written_once_and_delivered_once():
    from timelimits.services import notify_address

    k = key()
    for _ in range(2):
        notify_address(phone="13912345678", email="wang@example.com", subject="投诉", dedupe_key=k)
    assert Notification.objects.filter(dedupe_key=k).count() == 2  # one SMS, one e-mail
    assert delivery.deliver_pending().sent == 2
    assert delivery.deliver_pending().sent == 0
    assert [m["to"] for m in MemorySmsBackend.outbox] == ["13912345678"]
    assert mail.outbox[0].to == ["wang@example.com"]


def test_a_row_must_name_exactly_one_kind_of_recipient(clerk_a):
    from django.db import IntegrityError

    for fields in (
        {"recipient": clerk_a, "to_phone": "13912345678", "channel": "sms"},
        {"channel": "sms"},
        {"to_email": "wang@example.com", "channel": "sms"},  # an address must fit the channel
        {"to_phone": "13912345678", "channel": "in_app"},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Notification.objects.create(subject="x", dedupe_key=key(), **fields)


def test_the_outbox_listing_masks_phone_and_email(admin_client):
    from timelimits.services import notify_address

    notify_address(phone="13912345678", email="wang@example.com", subject="投诉", dedupe_key=key())
    page = admin_client.get("/admin/timelimits/outboxentry/").content.decode()
    assert "139****5678" in page and "w***@example.com" in page
    assert "13912345678" not in page and "wang@example.com" not in page


def test_the_delivery_task_retries_with_celery_until_the_row_is_marked_failed_never_dropping_it(
    clerk_a, settings, monkeypatch
):
    """Celery's own retries (autoretry with backoff, capped) drive a failing run; the row that
    exhausts its attempts stays in the outbox as failed, with its error, for the office to see."""
    from timelimits.tasks import DeliveryIncomplete, deliver_notifications

    settings.TIMELIMITS_DELIVERY_MAX_ATTEMPTS = 3
    notify(recipient=clerk_a, subject="督办", channels=["sms"], dedupe_key=key())
    calls = []

    def down(self, **kwargs):
        calls.append(1)
        raise ConnectionError("gateway down")

    monkeypatch.setattr(MemorySmsBackend, "send", down)
    result = deliver_notifications.apply()  # eager: Celery runs its retries in place
    row = Notification.objects.get()
    assert (row.state, row.attempts, row.last_error) == (
        "failed",
        3,
        "ConnectionError: gateway down",
    )
    assert len(calls) == 3  # two retries by Celery, then the row is failed and the run succeeds
    assert not isinstance(result.result, DeliveryIncomplete)

"""我要投诉, item 13: a real-name filer proves the mobile number with an SMS code (a setting)."""

from __future__ import annotations

import re
import secrets

import pytest
from django.urls import reverse

from complaints import phone_codes
from complaints.models import Complaint
from tests.complaints.public_helpers import citizen, png
from tests.complaints.test_pages_intake import _fields, _form
from timelimits.backends import MemorySmsBackend

URL = reverse("complaints:intake")


@pytest.fixture
def phone():
    """A number of this test's own: the resend wait is per number, in the shared Redis."""
    return f"139{secrets.randbelow(10**8):08d}"


@pytest.fixture
def sms(settings, phone):
    settings.COMPLAINTS_SMS_VERIFY = True
    settings.TIMELIMITS_SMS_BACKEND = "timelimits.backends.MemorySmsBackend"
    MemorySmsBackend.outbox.clear()
    yield MemorySmsBackend.outbox
    for key in phone_codes._keys(phone):
        phone_codes._client(key).delete(key)


@pytest.fixture
def client():
    return citizen()


def _send(client, form, fields):
    return client.post(URL, {**form, **fields, "action": "send_code"})


def _code(outbox) -> str:
    return re.search(r"验证码为 (\d{6})", outbox[-1]["text"]).group(1)


def _sms_errors(page: str) -> str:
    found = re.search(r'id="id_sms_code-errors">(.*?)</ul>', page, re.S)
    return found.group(1) if found else ""


def test_verification_is_off_by_default(client, agency_a, attitude, centre):
    page = client.get(URL).content.decode()
    assert "发送验证码" not in page and 'name="sms_code"' not in page
    assert client.post(URL, {**_form(client), **_fields(agency_a, attitude)}).status_code == 302


def test_send_code_goes_through_the_sms_backend_and_keeps_the_form(
    client, agency_a, attitude, centre, sms, phone
):
    form = _form(client)
    fields = _fields(agency_a, attitude, complainant_phone=phone)
    page = _send(client, form, {**fields, "attachments": [png()]}).content.decode()
    assert len(sms) == 1 and sms[0]["to"] == phone
    assert f"验证码已发送至 {phone[:3]}****{phone[-4:]}" in page
    assert fields["description"] in page and "现场照片.png" in page  # typed text, kept file
    assert "请填写" not in page  # sending a code is not a submission: no errors yet
    assert Complaint.objects.count() == 0


def test_the_code_is_stored_only_as_a_hash_with_an_expiry(
    client, agency_a, attitude, centre, sms, phone
):
    _send(client, _form(client), _fields(agency_a, attitude, complainant_phone=phone))
    code = _code(sms)
    key = phone_codes._keys(phone)[0]
    redis = phone_codes._client(key)
    stored = redis.hgetall(key)
    assert stored and all(
        code.encode() not in v and phone.encode() not in v for v in stored.values()
    )
    assert phone not in key
    assert 0 < redis.ttl(key) <= 300


def test_filing_without_the_code_is_refused_with_everything_kept(
    client, agency_a, attitude, centre, sms, phone
):
    fields = _fields(agency_a, attitude, complainant_phone=phone)
    page = client.post(URL, {**_form(client), **fields}).content.decode()
    assert "请填写短信验证码（先点击“发送验证码”）。" in _sms_errors(page)
    assert fields["description"] in page and phone in page
    assert Complaint.objects.count() == 0


def test_wrong_code_is_refused(client, agency_a, attitude, centre, sms, phone):
    form = _form(client)
    fields = _fields(agency_a, attitude, complainant_phone=phone)
    _send(client, form, fields)
    wrong = "000000" if _code(sms) != "000000" else "111111"
    page = client.post(URL, {**form, **fields, "sms_code": wrong}).content.decode()
    assert "验证码不正确，还可以再试 4 次。" in _sms_errors(page)
    assert fields["title"] in page
    assert Complaint.objects.count() == 0


def test_right_code_files_and_cannot_be_used_again(client, agency_a, attitude, centre, sms, phone):
    form = _form(client)
    fields = _fields(agency_a, attitude, complainant_phone=phone)
    _send(client, form, fields)
    code = _code(sms)
    response = client.post(URL, {**form, **fields, "sms_code": code})
    assert response.status_code == 302 and Complaint.objects.count() == 1
    again = client.post(URL, {**form, **fields, "sms_code": code}, follow=True)
    assert Complaint.objects.count() == 1  # the double click is answered with the first filing
    other = citizen()
    page = other.post(URL, {**_form(other), **fields, "sms_code": code}).content.decode()
    assert "验证码已过期或尚未获取" in _sms_errors(page)  # spent with the filing
    assert again.status_code == 200


def test_the_code_expires(client, agency_a, attitude, centre, sms, phone):
    form = _form(client)
    fields = _fields(agency_a, attitude, complainant_phone=phone)
    _send(client, form, fields)
    code = _code(sms)
    key = phone_codes._keys(phone)[0]
    phone_codes._client(key).expire(key, 0)  # what Redis does when the TTL runs out
    page = client.post(URL, {**form, **fields, "sms_code": code}).content.decode()
    assert "验证码已过期或尚未获取，请重新点击“发送验证码”。" in _sms_errors(page)
    assert Complaint.objects.count() == 0


def test_attempts_are_limited(client, agency_a, attitude, centre, sms, settings, phone):
    settings.COMPLAINTS_SMS_CODE_ATTEMPTS = 2
    form = _form(client)
    fields = _fields(agency_a, attitude, complainant_phone=phone)
    _send(client, form, fields)
    code = _code(sms)
    wrong = "000000" if code != "000000" else "111111"
    first = client.post(URL, {**form, **fields, "sms_code": wrong}).content.decode()
    assert "还可以再试 1 次" in _sms_errors(first)
    second = client.post(URL, {**form, **fields, "sms_code": wrong}).content.decode()
    assert "验证码错误次数过多，已失效，请重新获取验证码。" in _sms_errors(second)
    right = client.post(URL, {**form, **fields, "sms_code": code}).content.decode()
    assert "验证码已过期或尚未获取" in _sms_errors(right)  # burnt: even the right code fails
    assert Complaint.objects.count() == 0


def test_resending_waits(client, agency_a, attitude, centre, sms, phone):
    form = _form(client)
    fields = _fields(agency_a, attitude, complainant_phone=phone)
    _send(client, form, fields)
    page = _send(citizen(), form, fields).content.decode()  # another address, the same number
    assert re.search(r"验证码已发送，请 \d+ 秒后再重新获取。", _sms_errors(page))
    assert len(sms) == 1


def test_codes_to_one_number_are_limited_per_window(
    client, agency_a, attitude, centre, sms, phone, settings
):
    settings.COMPLAINTS_SMS_PHONE_LIMIT = 2
    fields = _fields(agency_a, attitude, complainant_phone=phone)
    wait_key = phone_codes._keys(phone)[1]
    pages = []
    for _ in range(3):
        phone_codes._client(wait_key).delete(wait_key)  # as if each resend waited long enough
        pages.append(_send(citizen(), _form(client), fields).content.decode())
    assert len(sms) == 2
    assert "该手机号获取验证码的次数过多，请稍后再试。" in _sms_errors(pages[2])


def test_anonymous_filing_needs_no_code(client, agency_a, attitude, centre, sms, phone):
    fields = _fields(
        agency_a, attitude, anonymous="on", complainant_name="", complainant_phone=phone
    )
    assert client.post(URL, {**_form(client), **fields}).status_code == 302


def test_a_landline_cannot_receive_a_code(client, agency_a, attitude, centre, sms, phone):
    fields = _fields(agency_a, attitude, complainant_phone="0571-88886666")
    page = _send(client, _form(client), fields).content.decode()
    assert "请填写正确的手机号码以接收验证码。" in page and not sms

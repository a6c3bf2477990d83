"""Idempotency keys: the header wins, keys are namespaced per sender and stored hashed."""

import pytest
from django.test import RequestFactory

from common.idempotency import MAX_LENGTH, key_from_request, key_hash
from efficiency_portal.errors import ApplicationError


def test_the_header_wins_over_the_field_and_the_key_is_namespaced_by_sender():
    request = RequestFactory().post("/", HTTP_IDEMPOTENCY_KEY="k-1")
    assert key_from_request(request, field_value="other", namespace="acct:7") == "acct:7:k-1"


def test_no_key_means_no_idempotency():
    assert key_from_request(RequestFactory().post("/"), namespace="acct:7") is None


def test_two_senders_with_the_same_key_get_different_hashes():
    assert key_hash("acct:1:k") != key_hash("acct:2:k")
    assert len(key_hash("acct:1:k")) == 64


@pytest.mark.parametrize("bad", ["x" * (MAX_LENGTH + 1), "a\x00b"])
def test_an_overlong_key_or_one_with_control_characters_is_refused_with_a_message(bad):
    request = RequestFactory().post("/")
    with pytest.raises(ApplicationError, match="幂等键过长或含有控制字符"):
        key_from_request(request, field_value=bad, namespace="acct:7")

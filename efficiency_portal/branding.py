"""The product's one name, read by every surface that names it.

The site header and page titles (context processor ``context``), the admin header and
title (``urls``), the printed documents and the e-mail subject and signature all use
``PRODUCT_NAME``: a lazy string, so each page, document and message carries it in the
language it is rendered in. A city may rename the product with the ``PRODUCT_NAME``
setting; empty (the default) means the translatable name below.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext


def _product_name() -> str:
    return settings.PRODUCT_NAME or gettext("机关效能建设服务平台")


PRODUCT_NAME = lazy(_product_name, str)()


def context(request) -> dict:
    return {"PRODUCT_NAME": PRODUCT_NAME}

"""What the privacy tests share: values and near misses, the rows that hold them, who asks,
and how two answers are compared.

The rule (efficiency_portal.privacy): a field declared confidential never changes an
answer it is not shown in. Each test asks a surface once with a row's true value and
once with a near miss — the same value with one character in its middle changed — and
the two answers must be identical once CSRF tokens, nonces, random form keys and the
echoed value itself are normalised away.

Rows are built like the scoping test builds them (the admin's ``scope_test_factory``
or model_bakery) and given their values with an UPDATE; ``tests/privacy/samples.py``
builds the rows that need more.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json
import re
import secrets
from dataclasses import dataclass
from urllib.parse import quote, quote_plus

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.test import Client, RequestFactory

from efficiency_portal.privacy import declarations
from organizations.admin_base import AgencyScopedAdmin
from organizations.roles import Role
from tests.conftest import make_staff
from tests.organizations.test_scoping_everywhere import build_row
from tests.privacy import samples

_serial = itertools.count(1)


# --------------------------------------------------------------------------- values


def value_for(field: models.Field, serial: int) -> str:
    """A realistic value for ``field``, unique per ``serial``. The characters a mask keeps
    (the first and the last ones) are the same for every serial, so swapping two rows'
    values changes nothing a page may show of them."""
    name = field.name
    if isinstance(field, models.EmailField) or "email" in name:
        value = f"w{serial:06d}xq@example.com"
    elif "phone" in name:
        value = f"139{serial:04d}5678"
    elif "id_number" in name:
        value = f"110101{serial:08d}1234"
    elif name.endswith("name"):
        value = "欧" + "".join("甲乙丙丁戊己庚辛壬癸"[int(d)] for d in f"{serial:03d}")
    else:  # a digest, a key, a password hash
        value = hashlib.sha256(f"{field.model.__name__}.{name}.{serial}".encode()).hexdigest()
        if name == "password":
            value = f"md5$salt{serial}${value}"
    return value[: field.max_length] if field.max_length else value


def near_miss(value: str) -> str:
    """``value`` with the character nearest its middle that is a digit or letter changed."""
    chars = list(value)
    for i in sorted(range(len(chars)), key=lambda i: abs(i - len(chars) // 2)):
        c = chars[i]
        if c.isdigit():
            chars[i] = str((int(c) + 5) % 10)
        elif c.isascii() and c.isalpha():
            chars[i] = "b" if c.lower() == "a" else "a"
        elif c.isalpha():
            chars[i] = "试" if c == "测" else "测"
        else:
            continue
        return "".join(chars)
    return value + "0"


def declared_fields() -> list[tuple[type[models.Model], str]]:
    """(concrete model, field name) for every declaration, in a stable order."""
    return sorted(
        ((model, name) for model, names in declarations().items() for name in names),
        key=lambda item: (item[0]._meta.label_lower, item[1]),
    )


# --------------------------------------------------------------------------- answers

_CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*')
_NONCE = re.compile(r'nonce="[^"]*"')
# Random keys a form hands out (submission key, upload token) and signed links: any long
# run of URL-safe characters (a random key need not hold a digit).
_TOKEN = re.compile(r"[A-Za-z0-9_:-]{20,}")


def _spellings(value: str) -> set[str]:
    return {
        value,
        html.escape(value),
        html.escape(value, quote=False),
        quote(value),
        quote_plus(value),
        json.dumps(value)[1:-1],
        json.dumps(value, ensure_ascii=False)[1:-1],
    }


def normalised(response, *asked: str) -> tuple[int, str]:
    """The status and the body, with every spelling of the asked values, CSRF tokens,
    nonces and random tokens replaced: what must be equal for a value and its near miss."""
    body = response.content.decode("utf-8", "replace")
    for spelling in sorted({s for v in asked for s in _spellings(v)}, key=len, reverse=True):
        body = body.replace(spelling, "⟨asked⟩")
    body = _CSRF.sub(r"\1", body)
    body = _NONCE.sub('nonce=""', body)
    return response.status_code, _TOKEN.sub("⟨token⟩", body)


def client_for(user=None) -> Client:
    """A client at an address of its own, so no throttle counts two asks together."""
    address = ".".join(str(secrets.randbelow(250) + 1) for _ in range(3))
    client = Client(REMOTE_ADDR=f"10.{address}")
    if user is not None:
        client.force_login(user)
    return client


def request_as(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


# --------------------------------------------------------------------------- rows and users


@dataclass
class Rows:
    """Two rows of one model whose ``field`` holds ``values`` (one each)."""

    model: type[models.Model]
    field: str
    rows: list
    values: list[str]

    @property
    def true(self) -> str:
        return self.values[0]

    @property
    def keys(self) -> set[str]:
        return {str(row.pk) for row in self.rows}

    def swap(self) -> None:
        """Give each row the other's value, through a third one (the field may be unique)."""
        concrete = self.model._meta.concrete_model
        manager, length = concrete._default_manager, concrete._meta.get_field(self.field).max_length
        first, second = self.rows
        manager.filter(pk=first.pk).update(**{self.field: ("swap" + self.values[0])[:length]})
        manager.filter(pk=second.pk).update(**{self.field: self.values[0]})
        manager.filter(pk=first.pk).update(**{self.field: self.values[1]})
        self.values.reverse()


def build_rows(model, field: str, agency, *, published: bool = False) -> Rows:
    """Two rows of ``model`` that belong to ``agency``, ``field`` set to a value each;
    ``published``: as the public pages would show them, where the model has such a state."""
    concrete = model._meta.concrete_model
    values = [value_for(concrete._meta.get_field(field), next(_serial)) for _ in range(2)]
    builder = (samples.PUBLISHED if published else {}).get(concrete._meta.label)
    builder = builder or samples.BUILDERS.get(concrete._meta.label)
    model_admin = admin.site._registry.get(model) or admin.site._registry.get(concrete)
    rows = []
    for value in values:
        if builder is not None:
            row = builder(agency=agency, values={field: value})
        elif isinstance(model_admin, AgencyScopedAdmin):
            row = build_row(model, model_admin.agency_field, agency, factory_owner=model_admin)
        else:
            row = samples.baker_row(concrete)
        concrete._default_manager.filter(pk=row.pk).update(**{field: value})
        rows.append(row)
    return Rows(model, field, rows, values)


def grant_standard_permissions(user, model) -> None:
    """view/add/change/delete on ``model``, none of its special permissions (such as
    ``complaints.reveal_complainant``)."""
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    name = model._meta.model_name
    codenames = [f"{action}_{name}" for action in ("view", "add", "change", "delete")]
    user.user_permissions.add(
        *Permission.objects.filter(content_type=content_type, codename__in=codenames)
    )


def handler_of(agency, *models_seen):
    """A 承办人 of ``agency`` who also holds the standard permissions on ``models_seen``."""
    user = make_staff(agency=agency, roles=[Role.HANDLER], name="隐私承办")
    for model in models_seen:
        grant_standard_permissions(user, model)
    return type(user).objects.get(pk=user.pk)  # without the permission cache


def superuser():
    return get_user_model().objects.create_superuser(
        username=f"privacy-root-{next(_serial)}", password="pw-for-tests-2026"
    )

"""Shared fixtures with named roles: a citizen, a clerk of agency A, a clerk of agency B,
the efficiency office, a leader. Every view test asserts the outsider's denial too."""

from __future__ import annotations

import itertools

import pytest
from django.test import Client

from organizations import services as org_services
from organizations.models import Agency, AgencyCategory
from organizations.roles import Role

_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def _zh_hans(settings):
    settings.LANGUAGE_CODE = "zh-hans"
    settings.SECURE_SSL_REDIRECT = False
    settings.AXES_ENABLED = False  # throttling has its own test that turns it back on


@pytest.fixture
def category(db) -> AgencyCategory:
    return AgencyCategory.objects.get(code="government")


def make_agency(
    *, name: str, category: AgencyCategory, parent: Agency | None = None, code: str | None = None
) -> Agency:
    return org_services.agency_create(
        actor=None,
        code=code or f"T{next(_seq):05d}",
        name=name,
        category=category,
        parent=parent,
        short_name=name[:6],
    )


def make_staff(
    *,
    agency: Agency,
    roles: list[str],
    name: str | None = None,
    password: str = "pw-for-tests-2026",
):
    n = next(_seq)
    profile = org_services.staff_create(
        actor=None,
        username=f"user{n}",
        name=name or f"工作人员{n}",
        agency=agency,
        roles=roles,
        post="科员",
        phone=f"138{n:08d}",
        password=password,
    )
    return profile.user


@pytest.fixture
def agency_a(category) -> Agency:
    return make_agency(name="市市场监督管理局", category=category)


@pytest.fixture
def agency_b(category) -> Agency:
    return make_agency(name="市住房和城乡建设局", category=category)


@pytest.fixture
def sub_agency_a(agency_a, category) -> Agency:
    return make_agency(name="市市场监督管理局城东分局", category=category, parent=agency_a)


@pytest.fixture
def clerk_a(agency_a):
    return make_staff(agency=agency_a, roles=[Role.HANDLER], name="张承办")


@pytest.fixture
def clerk_b(agency_b):
    return make_staff(agency=agency_b, roles=[Role.HANDLER], name="李承办")


@pytest.fixture
def unit_admin_a(agency_a):
    return make_staff(agency=agency_a, roles=[Role.UNIT_ADMIN], name="王管理")


@pytest.fixture
def office_user(db, category):
    office = make_agency(name="市效能办", category=AgencyCategory.objects.get(code="party"))
    return make_staff(agency=office, roles=[Role.EFFICIENCY_OFFICE], name="赵效能")


@pytest.fixture
def leader(db, category):
    office = make_agency(name="市政府办公室", category=AgencyCategory.objects.get(code="party"))
    return make_staff(agency=office, roles=[Role.LEADER], name="钱领导")


@pytest.fixture
def citizen_client() -> Client:
    return Client()


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _few_demo_complaints(settings):
    """seed_demo files 300 complaints by default; tests that run it need only a handful."""
    settings.COMPLAINTS_DEMO_CASES = 24


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # PBKDF2's million rounds cost ~0.4 s per staff fixture; tests check behaviour, not
    # hashing strength, so they hash with a fast algorithm.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _flushes_the_database(item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    marked = bool(
        marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))
    )
    return marked or "transactional_db" in fixtures or "live_server" in fixtures


def _restores_itself(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return _flushes_the_database(item) and bool(marker and marker.kwargs.get("serialized_rollback"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Put the migrations' data back after a test that flushed the database.

    A transactional test ends with a flush, which also empties what data
    migrations seeded (roles, categories, policies, the calendar). pytest-django
    runs such tests last, but pytest-xdist's ``--dist loadfile`` hands whole files
    to workers in its own order, so an ordinary test can follow one in the same
    worker and find no seed data. Reloading the serialized copy here fixes that.
    """
    yield
    if nextitem is None or not _flushes_the_database(item) or _restores_itself(nextitem):
        return
    from django.db import connection
    from pytest_django.plugin import blocking_manager_key

    contents = getattr(connection, "_test_serialized_contents", None)
    if contents:
        with item.config.stash[blocking_manager_key].unblock():
            connection.creation.deserialize_db_from_string(contents)


@pytest.fixture
def worker_in_this_process(monkeypatch):
    """Make ``celery.contrib.testing.worker.start_worker`` safe inside a test.

    The test worker is a thread of this process, but Celery's Django fixup treats it
    like a forked child: it closes this process's database connections (ending the
    test transaction) and closes their sockets. Its signal receivers stay connected
    for the rest of the process, so patch the helpers they call, not only the
    receivers, or a later test's worker still closes the connection.
    """
    from celery.fixups.django import DjangoWorkerFixup

    monkeypatch.setattr(DjangoWorkerFixup, "_close_database", lambda self: None)
    monkeypatch.setattr(DjangoWorkerFixup, "_maybe_close_db_fd", lambda self, conn: None)
    monkeypatch.setattr(DjangoWorkerFixup, "on_worker_process_init", lambda self, **kw: None)

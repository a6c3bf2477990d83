import io
import random

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from organizations import demo
from organizations.management.commands.seed_demo import demo_seeders
from organizations.models import (
    Agency,
    AgencyCategory,
    AuditEvent,
    DutyStatus,
    KeyPost,
    StaffProfile,
)
from organizations.roles import Role
from organizations.scoping import visible_agency_ids


def _counts() -> dict[str, int]:
    User = get_user_model()
    return {
        model.__name__: model.objects.count()
        for model in (Agency, User, StaffProfile, KeyPost, DutyStatus, AuditEvent)
    } | {"memberships": User.groups.through.objects.count()}


def test_seed_demo_runs_every_apps_demo_module_in_installed_apps_order():
    labels = [label for label, _seed in demo_seeders()]
    assert labels[0] == "organizations"
    from django.apps import apps

    order = [c.label for c in apps.get_app_configs()]
    assert labels == sorted(labels, key=order.index)


def test_same_seed_plans_the_same_city_and_another_seed_a_different_one():
    def plan(seed):
        rng = random.Random(seed)
        staff = demo.plan_staff(rng)
        return staff, demo.plan_key_posts(rng, staff), demo.plan_duty(rng, staff)

    assert plan("1:organizations") == plan("1:organizations")
    assert plan("1:organizations")[0] != plan("2:organizations")[0]


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_builds_a_city_in_every_category():
    call_command("seed_demo", stdout=io.StringIO())
    first = _counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == first

    assert 38 <= first["Agency"] <= 50
    assert 280 <= first["StaffProfile"] <= 340
    for category in AgencyCategory.objects.all():
        assert Agency.objects.filter(category=category).exists(), category.name
    assert Agency.objects.filter(parent__isnull=False).exists()  # a tree, not a list
    assert set(DutyStatus.objects.values_list("status", flat=True)) == set(DutyStatus.Status.values)
    assert not KeyPost.objects.filter(complaint_channel="").exists()


@pytest.mark.django_db
def test_demo_accounts_log_in_with_the_published_password_and_see_their_scope():
    demo.seed(rng=random.Random(1), stdout=io.StringIO())  # this app's seeder alone
    User = get_user_model()
    admin = User.objects.get(username="demo-admin")
    assert admin.is_superuser and admin.check_password("demo-pass-2026")

    clerk = User.objects.get(username="demo-clerk")
    assert clerk.check_password("demo-pass-2026")
    assert list(clerk.groups.values_list("name", flat=True)) == [Role.HANDLER]
    assert visible_agency_ids(clerk) == {Agency.objects.get(name="市市场监督管理局").pk}

    for username, role in (("demo-office", Role.EFFICIENCY_OFFICE), ("demo-leader", Role.LEADER)):
        user = User.objects.get(username=username)
        assert user.groups.filter(name=role).exists()
        assert visible_agency_ids(user) is None  # sees every agency

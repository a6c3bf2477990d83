"""Demo city for ``manage.py seed_demo``: ~40 agencies in every category, ~300 staff with
roles, key posts, and today's on-duty board.

Steps:
1. plan everything from ``rng`` alone (never from the database), so the same seed
   always plans the same city;
2. insert only what is missing, matched by natural keys (agency code, username,
   agency + key-post title, staff + date), so a second run changes nothing.

Agencies go through ``agency_create`` (they need tree paths and audit rows).
Staff, key posts and duty rows are fixture data inserted in bulk: 300 calls to
``staff_create`` would hash 300 passwords and take a minute; every demo account
shares one password hash computed once.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from organizations import services
from organizations.demo_data import (
    AGENCIES,
    CLERK_CODE,
    COMPLAINT_CHANNEL,
    DUTY_MIX,
    GIVEN,
    KEY_POSTS,
    LEADER_CODE,
    OFFICE_CODE,
    POSTS,
    SURNAMES,
)
from organizations.models import Agency, AgencyCategory, DutyStatus, KeyPost, StaffProfile
from organizations.roles import Role

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 — published in the README for the demo only
SUPERUSER = "demo-admin"

# Staff per agency by category (inclusive range): windows and departments are the largest.
STAFF_PER_AGENCY = {
    "party": (5, 7),
    "government": (7, 10),
    "window": (8, 11),
    "judicial": (6, 8),
    "stationed": (5, 7),
    "grassroots": (4, 6),
}


@dataclass(frozen=True)
class PlannedStaff:
    username: str
    agency_code: str
    name: str
    role: str
    post: str
    phone: str
    is_unit_head: bool = False


def seed(*, rng: random.Random, stdout) -> None:
    staff_plan = plan_staff(rng)
    agencies = _seed_agencies()
    password = make_password(DEMO_PASSWORD)
    created_staff = _seed_staff(staff_plan, agencies, password)
    _seed_superuser(password)
    profiles = {
        p.user.username: p
        for p in StaffProfile.objects.select_related("user").filter(
            user__username__in=[s.username for s in staff_plan]
        )
    }
    created_posts = _seed_key_posts(plan_key_posts(rng, staff_plan), agencies, profiles)
    today = timezone.localdate()
    created_duty = _seed_duty(plan_duty(rng, staff_plan), profiles, today)
    stdout.write(
        f"organizations: {Agency.objects.count()} agencies, {StaffProfile.objects.count()} staff "
        f"(+{created_staff}), {KeyPost.objects.count()} key posts (+{created_posts}), "
        f"{DutyStatus.objects.filter(date=today).count()} duty statuses today (+{created_duty})"
    )


# --------------------------------------------------------------------------- plans (pure)


def _person_name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"


def _roles_for(code: str, count: int) -> list[str]:
    """The roles of an agency's staff, head first: approver, unit admin, reviewers, handlers."""
    if code == OFFICE_CODE:
        return [Role.UNIT_ADMIN] + [Role.EFFICIENCY_OFFICE] * (count - 1)
    if code == LEADER_CODE:
        return [Role.LEADER] * 3 + [Role.UNIT_ADMIN] + [Role.HANDLER] * (count - 4)
    reviewers = 2 if count >= 8 else 1
    return (
        [Role.APPROVER, Role.UNIT_ADMIN]
        + [Role.REVIEWER] * reviewers
        + [Role.HANDLER] * (count - 2 - reviewers)
    )


def plan_staff(rng: random.Random) -> list[PlannedStaff]:
    plan = [
        PlannedStaff("demo-clerk", CLERK_CODE, "张晓明", Role.HANDLER, "窗口受理员", _phone(rng)),
        PlannedStaff(
            "demo-office", OFFICE_CODE, "赵效能", Role.EFFICIENCY_OFFICE, "效能督查员", _phone(rng)
        ),
        PlannedStaff("demo-leader", LEADER_CODE, "钱振华", Role.LEADER, "副市长", _phone(rng)),
    ]
    for code, _name, _en, category, _parent in AGENCIES:
        low, high = STAFF_PER_AGENCY[category]
        for index, role in enumerate(_roles_for(code, rng.randint(low, high)), start=1):
            plan.append(
                PlannedStaff(
                    username=f"{code.lower()}-{index:02d}",
                    agency_code=code,
                    name=_person_name(rng),
                    role=role,
                    post=rng.choice(POSTS[role]),
                    phone=_phone(rng),
                    is_unit_head=index == 1,
                )
            )
    return plan


def plan_key_posts(rng: random.Random, staff: list[PlannedStaff]) -> list[dict]:
    holders: dict[str, list[str]] = {}
    for member in staff:
        if member.role in (Role.HANDLER, Role.REVIEWER):
            holders.setdefault(member.agency_code, []).append(member.username)
    posts = []
    for code, _name, _en, category, _parent in AGENCIES:
        templates = KEY_POSTS[category]
        chosen = rng.sample(templates, k=min(len(templates), rng.randint(2, 3)))
        for order, (title, duties, powers) in enumerate(chosen, start=1):
            candidates = holders.get(code, [])
            posts.append(
                {
                    "agency_code": code,
                    "title": title,
                    "duties": duties,
                    "powers": powers,
                    "holder": rng.choice(candidates) if candidates else None,
                    "order": order,
                }
            )
    return posts


def plan_duty(rng: random.Random, staff: list[PlannedStaff]) -> dict[str, tuple[str, str]]:
    statuses = [status for status, _w, _n in DUTY_MIX]
    weights = [weight for _s, weight, _n in DUTY_MIX]
    notes = {status: options for status, _w, options in DUTY_MIX}
    plan = {}
    for member in staff:
        status = rng.choices(statuses, weights)[0]
        plan[member.username] = (status, rng.choice(notes[status]))
    return plan


# --------------------------------------------------------------------------- inserts


def _seed_agencies() -> dict[str, Agency]:
    categories = {c.code: c for c in AgencyCategory.objects.all()}
    existing = {a.code: a for a in Agency.objects.filter(code__in=[row[0] for row in AGENCIES])}
    for code, name, name_en, category, parent in AGENCIES:
        if code not in existing:
            existing[code] = services.agency_create(
                actor=None,
                code=code,
                name=name,
                category=categories[category],
                parent=existing[parent] if parent else None,
                name_en=name_en,
                short_name=name.removeprefix("市")[:20],
                phone=f"0999-{8000 + len(existing):04d}",
            )
    return existing


def _seed_staff(plan: list[PlannedStaff], agencies: dict[str, Agency], password: str) -> int:
    User = get_user_model()
    taken = set(
        User.objects.filter(username__in=[s.username for s in plan]).values_list(
            "username", flat=True
        )
    )
    new = [s for s in plan if s.username not in taken]
    if not new:
        return 0
    User.objects.bulk_create(
        [User(username=s.username, is_staff=True, password=password) for s in new]
    )
    user_ids = dict(
        User.objects.filter(username__in=[s.username for s in new]).values_list("username", "pk")
    )
    StaffProfile.objects.bulk_create(
        [
            StaffProfile(
                user_id=user_ids[s.username],
                agency=agencies[s.agency_code],
                name=s.name,
                post=s.post,
                phone=s.phone,
                is_unit_head=s.is_unit_head,
            )
            for s in new
        ]
    )
    groups = dict(Group.objects.values_list("name", "pk"))
    Membership = User.groups.through
    Membership.objects.bulk_create(
        [Membership(user_id=user_ids[s.username], group_id=groups[s.role]) for s in new]
    )
    return len(new)


def _seed_superuser(password: str) -> None:
    User = get_user_model()
    if not User.objects.filter(username=SUPERUSER).exists():
        User.objects.create(username=SUPERUSER, is_staff=True, is_superuser=True, password=password)


def _seed_key_posts(plan: list[dict], agencies: dict[str, Agency], profiles) -> int:
    existing = set(KeyPost.objects.values_list("agency__code", "title"))
    new = [
        KeyPost(
            agency=agencies[row["agency_code"]],
            title=row["title"],
            holder=profiles.get(row["holder"]),
            duties=row["duties"],
            powers=row["powers"],
            complaint_channel=COMPLAINT_CHANNEL,
            order=row["order"],
        )
        for row in plan
        if (row["agency_code"], row["title"]) not in existing
    ]
    KeyPost.objects.bulk_create(new)
    return len(new)


def _seed_duty(plan: dict[str, tuple[str, str]], profiles, today: dt.date) -> int:
    done = set(DutyStatus.objects.filter(date=today).values_list("staff_id", flat=True))
    new = [
        DutyStatus(
            staff=profile,
            agency_id=profile.agency_id,
            date=today,
            status=plan[username][0],
            note=plan[username][1],
        )
        for username, profile in profiles.items()
        if profile.pk not in done and username in plan
    ]
    DutyStatus.objects.bulk_create(new)
    return len(new)

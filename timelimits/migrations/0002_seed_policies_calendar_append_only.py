"""Seed data: the calendar for every year chinesecalendar covers, default policies with their
督办 ladders (local practice from DESIGN.md, editable in the admin), and the append-only trigger
on clock events."""

from django.db import migrations

from efficiency_portal.db import append_only

WD = "working_days"
ND = "natural_days"
HANDLE_LADDER = [
    # level, delay after due (working days), notify, channels, proposal
    (1, 0, ["responsible", "unit_head"], ["in_app", "sms"], "督办通知"),
    (2, 3, ["unit_head", "office"], ["in_app", "email"], "催办通知书"),
    (3, 10, ["office"], ["in_app", "email"], "通报批评（建议，需人工决定）"),
]
SHORT_LADDER = [
    (1, 1, ["unit_head"], ["in_app"], "督办通知"),
    (2, 3, ["office"], ["in_app", "email"], "催办通知书"),
]
# kind, category, name, limit, unit, warn_before, warn_fraction, ext_limit, ext_times, basis, ladder
POLICIES = [
    ("complaint.accept", "", "投诉受理审查", 3, WD, 1, None, 0, 0, "", SHORT_LADDER),
    ("complaint.sign_for", "", "承办单位签收", 1, WD, None, None, 0, 0, "", SHORT_LADDER),
    ("complaint.return_window", "", "错转退回期限", 2, WD, None, None, 0, 0, "", []),
    ("complaint.handle", "", "投诉办理", 15, WD, 1, None, 15, 1, "", HANDLE_LADDER),
    ("complaint.handle", "urgent", "紧急投诉办理", 2, WD, None, "0.50", 2, 1, "", HANDLE_LADDER),
    ("complaint.extension", "", "办理延期（每次延长的时限）", 15, WD, None, None, 0, 0, "", []),
    ("complaint.reply", "", "答复投诉人", 1, WD, None, None, 0, 0, "", SHORT_LADDER),
    ("complaint.callback", "", "回访", 3, WD, 1, None, 0, 0, "", SHORT_LADDER),
    ("rating.contact", "", "差评联系评价人", 1, WD, None, None, 0, 0, "", SHORT_LADDER),
    ("rating.rectify", "", "差评整改", 15, WD, 1, None, 0, 0, "", HANDLE_LADDER),
    ("rating.default", "", "未评价默认好评期限", 7, ND, None, None, 0, 0, "", []),
    (
        "approval.intake_notice",
        "",
        "一次性告知补正（第32条）",
        5,
        WD,
        1,
        None,
        0,
        0,
        "",
        SHORT_LADDER,
    ),
    (
        "approval.decide",
        "",
        "审批决定（第42条）",
        20,
        WD,
        1,
        None,
        10,
        1,
        "xkf_art42",
        HANDLE_LADDER,
    ),
    (
        "approval.decide",
        "joint",
        "联合办理决定（第42条）",
        45,
        WD,
        1,
        None,
        15,
        1,
        "xkf_art42_joint",
        HANDLE_LADDER,
    ),
    ("approval.step", "", "审批环节", 5, WD, 1, None, 0, 0, "", SHORT_LADDER),
    ("approval.deliver", "", "送达证件（第44条）", 10, WD, 1, None, 0, 0, "", SHORT_LADDER),
]


def seed_calendar(apps, schema_editor):
    from timelimits.calendar_source import package_rows, package_years

    WorkCalendarDay = apps.get_model("timelimits", "WorkCalendarDay")
    rows = []
    for year in package_years():
        rows.extend(
            WorkCalendarDay(
                date=r.date,
                is_workday=r.is_workday,
                kind=r.kind,
                name=r.name,
                source="chinesecalendar",
            )
            for r in package_rows(year)
        )
    WorkCalendarDay.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)


def seed_policies(apps, schema_editor):
    Policy = apps.get_model("timelimits", "TimeLimitPolicy")
    Step = apps.get_model("timelimits", "EscalationStep")
    for kind, category, name, limit, unit, warn, frac, ext, times, basis, ladder in POLICIES:
        policy, created = Policy.objects.get_or_create(
            kind=kind,
            category=category,
            defaults=dict(
                name=name,
                limit=limit,
                unit=unit,
                warn_before=warn,
                warn_fraction=frac,
                extension_limit=ext,
                extension_times=times,
                statutory_basis=basis,
            ),
        )
        if created:
            for level, delay, notify, channels, proposal in ladder:
                Step.objects.create(
                    policy=policy,
                    level=level,
                    delay=delay,
                    delay_unit=WD,
                    notify=notify,
                    channels=channels,
                    proposal=proposal,
                )


class Migration(migrations.Migration):
    dependencies = [("timelimits", "0001_initial")]

    operations = [
        migrations.RunPython(seed_calendar, migrations.RunPython.noop),
        migrations.RunPython(seed_policies, migrations.RunPython.noop),
        append_only("timelimits_deadlineevent"),
    ]

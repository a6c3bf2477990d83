"""Configuration of the complaints app, edited in the admin: categories and the public policy.

Each write is audited with what it changed (before → after), like any state change.

* ``category_save`` — a complaint category (投诉类别). Its code is what other systems
  file with (Open311 ``service_code``), so it is fixed once created; a category is
  retired by switching it off, never deleted.
* ``public_policy_update`` — the one row of 办理公开设置 (ranking minimum, duplicate
  suggestion threshold and pool).
* ``reply_review_rule_save`` — a row of 答复审核规则: which replies (by category and
  outcome) the office reviews before the complainant reads them.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from complaints.models import Complaint, ComplaintCategory, PublicPolicy, ReplyReviewRule
from efficiency_portal.errors import ApplicationError
from organizations.audit import audit, changes, snapshot

CATEGORY_FIELDS = ("code", "name", "name_en", "description", "is_urgent", "is_active", "order")
PUBLIC_POLICY_FIELDS = ("ranking_min_cases", "duplicate_min_score", "duplicate_candidates")


@transaction.atomic
def category_save(*, actor, category: ComplaintCategory | None, **fields) -> ComplaintCategory:
    """Create (``category=None``) or change a complaint category; one audit row when it changed."""
    unknown = sorted(set(fields) - set(CATEGORY_FIELDS))
    if unknown:
        raise ApplicationError(
            _("不能修改的字段：%(f)s") % {"f": "、".join(unknown)}, code="unknown_field"
        )
    if category is None:
        code = (fields.get("code") or "").strip()
        if not code:
            raise ApplicationError(_("请填写类别代码。"), code="required", field="code")
        if ComplaintCategory.objects.filter(code=code).exists():
            raise ApplicationError(
                _("类别代码 %(code)s 已存在。") % {"code": code},
                code="duplicate_code",
                field="code",
            )
        row = ComplaintCategory.objects.create(**fields)
        audit(
            actor=actor,
            verb="complaints.category.create",
            subject=row,
            data={"changes": changes({}, snapshot(row, CATEGORY_FIELDS))},
        )
        return row
    row = ComplaintCategory.objects.select_for_update().get(pk=category.pk)
    if "code" in fields and fields["code"] != row.code:
        raise ApplicationError(
            _("类别代码创建后不能修改：接入系统按代码提交投诉。"), code="code_fixed", field="code"
        )
    before = snapshot(row, CATEGORY_FIELDS)
    for name, value in fields.items():
        setattr(row, name, value)
    diff = changes(before, snapshot(row, CATEGORY_FIELDS))
    if diff:
        row.save()
        audit(actor=actor, verb="complaints.category.update", subject=row, data={"changes": diff})
    return row


@transaction.atomic
def public_policy_update(*, actor, **fields) -> PublicPolicy:
    """Change 办理公开设置 (the row is seeded by a migration; created here if it is missing)."""
    unknown = sorted(set(fields) - set(PUBLIC_POLICY_FIELDS))
    if unknown:
        raise ApplicationError(
            _("不能修改的字段：%(f)s") % {"f": "、".join(unknown)}, code="unknown_field"
        )
    score = fields.get("duplicate_min_score")
    if score is not None and not 0 < score <= 1:
        raise ApplicationError(
            _("相似度应大于 0 且不超过 1。"), code="score_range", field="duplicate_min_score"
        )
    row = PublicPolicy.objects.select_for_update().order_by("pk").first()
    before = snapshot(row, PUBLIC_POLICY_FIELDS)
    row = row or PublicPolicy()
    for name, value in fields.items():
        setattr(row, name, value)
    diff = changes(before, snapshot(row, PUBLIC_POLICY_FIELDS))
    if diff:
        row.save()
        audit(
            actor=actor, verb="complaints.public_policy.update", subject=row, data={"changes": diff}
        )
    return row


REPLY_REVIEW_RULE_FIELDS = ("category", "outcome", "review_required", "note")


@transaction.atomic
def reply_review_rule_save(*, actor, rule: ReplyReviewRule | None, **fields) -> ReplyReviewRule:
    """Create (``rule=None``) or change a row of 答复审核规则; one audit row when it changed."""
    unknown = sorted(set(fields) - set(REPLY_REVIEW_RULE_FIELDS))
    if unknown:
        raise ApplicationError(
            _("不能修改的字段：%(f)s") % {"f": "、".join(unknown)}, code="unknown_field"
        )
    if fields.get("outcome") and fields["outcome"] not in Complaint.Outcome.values:
        raise ApplicationError(_("请选择核查结论。"), code="invalid", field="outcome")
    row = ReplyReviewRule.objects.select_for_update().get(pk=rule.pk) if rule else None
    before = snapshot(row, REPLY_REVIEW_RULE_FIELDS)
    row = row or ReplyReviewRule()
    for name, value in fields.items():
        setattr(row, name, value)
    clash = ReplyReviewRule.objects.filter(
        category=row.category, outcome=row.outcome or ""
    ).exclude(pk=row.pk)
    if clash.exists():
        raise ApplicationError(
            _("该类别和核查结论已有一条规则，请修改那一条。"),
            code="duplicate_rule",
            field="outcome",
        )
    diff = changes(before, snapshot(row, REPLY_REVIEW_RULE_FIELDS))
    if diff:
        created = row.pk is None
        row.save()
        audit(
            actor=actor,
            verb="complaints.reply_review_rule." + ("create" if created else "update"),
            subject=row,
            data={"changes": diff},
        )
    return row

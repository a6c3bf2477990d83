"""The public text of a case (complaints.publication): three columns written when a case is
answered, filled here for the cases answered before; the public search index moves to them.

The public search used to read the original title, description and reply, so a case was
found by the complainant's full phone number written in it while the page showed it
masked. The search now reads only the masked text the page shows:
  WHERE state IN ('replied','called_back','closed')
    AND (public_title || ' ' || public_description || ' ' || public_reply) ILIKE '%营业执照%'
"""

from django.db import migrations, models

from complaints.publication import names_of, published, staff_names

ANSWERED = ("replied", "called_back", "closed")
BATCH = 2000

NEW_SEARCH_INDEX = """
CREATE INDEX complaint_public_search ON complaints_complaint
USING gin ((public_title || ' ' || public_description || ' ' || public_reply) gin_trgm_ops)
WHERE state IN ('replied', 'called_back', 'closed')
"""
OLD_SEARCH_INDEX = """
CREATE INDEX complaint_public_search ON complaints_complaint
USING gin ((title || ' ' || description || ' ' || reply_text) gin_trgm_ops)
WHERE state IN ('replied', 'called_back', 'closed')
"""


def fill_public_text(apps, schema_editor):
    """Mask the answered cases' text, a batch at a time, in primary-key order."""
    Complaint = apps.get_model("complaints", "Complaint")
    StaffProfile = apps.get_model("organizations", "StaffProfile")
    staff = staff_names(
        StaffProfile.objects.values_list("agency_id", flat=True).distinct(),
        staff_model=StaffProfile,
    )
    answered = Complaint.objects.filter(state__in=ANSWERED).order_by("pk")
    last = 0
    while True:
        batch = list(
            answered.filter(pk__gt=last).only(
                "title",
                "description",
                "reply_text",
                "complainant_name",
                "accused_person",
                "agency_accused_id",
                "handling_agency_id",
            )[:BATCH]
        )
        if not batch:
            return
        for case in batch:
            names = names_of(
                complainant=case.complainant_name,
                accused=case.accused_person,
                staff=staff[case.agency_accused_id] | staff[case.handling_agency_id],
            )
            for field, value in published(
                title=case.title, description=case.description, reply=case.reply_text, names=names
            ).items():
                setattr(case, field, value)
        Complaint.objects.bulk_update(batch, ["public_title", "public_description", "public_reply"])
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0011_remove_api_acceptance_queue"),
        ("organizations", "0002_roles_categories_audit"),
    ]

    operations = [
        migrations.AddField(
            model_name="complaint",
            name="public_title",
            field=models.TextField(
                blank=True, db_default="", default="", editable=False, verbose_name="公开标题"
            ),
        ),
        migrations.AddField(
            model_name="complaint",
            name="public_description",
            field=models.TextField(
                blank=True, db_default="", default="", editable=False, verbose_name="公开投诉内容"
            ),
        ),
        migrations.AddField(
            model_name="complaint",
            name="public_reply",
            field=models.TextField(
                blank=True, db_default="", default="", editable=False, verbose_name="公开答复"
            ),
        ),
        migrations.RunPython(fill_public_text, migrations.RunPython.noop),
        migrations.RunSQL(
            ["DROP INDEX IF EXISTS complaint_public_search", NEW_SEARCH_INDEX],
            ["DROP INDEX IF EXISTS complaint_public_search", OLD_SEARCH_INDEX],
        ),
    ]

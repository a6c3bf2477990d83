"""API intake files synchronously again: the acceptance queue (``AcceptedFiling``) goes.

1. Refuse, changing nothing, while the queue holds a complaint accepted but not
   filed yet: its complainant was given a tracking number and a query code, and
   only the previous release knows how to file it (see ``NOT_DRAINED``).
2. Delete the permissions of the model (the 效能办 role held ``view_acceptedfiling``),
   so no role keeps a grant for a page that is gone.
3. Drop the table. Filed rows hold nothing the complaint does not (their payload
   was cleared when they were filed).
4. Drop the SQL spelling of the tracking number (migration 0004): Python computes
   the check digit from the sequence's value again (``complaints.numbers``).
"""

from django.conf import settings
from django.core.management.base import CommandError
from django.db import migrations

NOT_DRAINED = (
    "complaints: {count} complaint(s) accepted through the API are not filed yet "
    "(table complaints_acceptedfiling, first {first}); nothing was changed. "
    "File them with the previous release before migrating: deploy it again and let its "
    "Celery worker and beat run, or run there "
    '`python manage.py shell -c "from complaints.acceptance import accepted_file_due; '
    'print(accepted_file_due())"` until it prints 0. A row that keeps failing shows its '
    "error in that release's admin (接口接收队列). Then stop that release's web and "
    "run migrate again."
)


def refuse_while_unfiled(apps, schema_editor):
    AcceptedFiling = apps.get_model("complaints", "AcceptedFiling")
    waiting = AcceptedFiling.objects.filter(complaint__isnull=True).order_by("received_at")
    count = waiting.count()
    if count:
        raise CommandError(NOT_DRAINED.format(count=count, first=waiting.first().tracking_no))


def delete_permissions(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(
        content_type__app_label="complaints", content_type__model="acceptedfiling"
    ).delete()


# Migration 0004's functions, for going back past this migration.
TRACKING_NO_FUNCTIONS = """
CREATE OR REPLACE FUNCTION complaints_check_digit(digits text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    product int := 10;
    total int;
BEGIN
    FOR i IN 1..length(digits) LOOP
        total := (substr(digits, i, 1)::int + product) % 10;
        IF total = 0 THEN
            total := 10;
        END IF;
        product := (total * 2) % 11;
    END LOOP;
    RETURN ((11 - product) % 10)::text;
END;
$$;

CREATE OR REPLACE FUNCTION complaints_tracking_no(prefix text, year int, serial bigint)
RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT prefix || '-' || year::text || '-' || padded || '-'
           || complaints_check_digit(year::text || padded)
    FROM (SELECT lpad(serial::text, greatest(6, length(serial::text)), '0') AS padded) AS s
$$;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0010_stats_count_late_and_overdue"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(refuse_while_unfiled, migrations.RunPython.noop),
        migrations.RunPython(delete_permissions, migrations.RunPython.noop),
        migrations.DeleteModel(name="AcceptedFiling"),
        migrations.RunSQL(
            "DROP FUNCTION IF EXISTS complaints_tracking_no(text, int, bigint);"
            "DROP FUNCTION IF EXISTS complaints_check_digit(text);",
            reverse_sql=TRACKING_NO_FUNCTIONS,
        ),
    ]

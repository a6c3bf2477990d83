"""A version row bumped by a trigger on every change to the calendar table.

``timelimits.calendar.current()`` reads it (one primary-key lookup) to know whether
its in-process snapshot is still good, instead of aggregating the whole table. The
trigger catches every writer — services, the admin, a shell, a migration — and the
row's ``xmin`` makes the key unique even when a transaction that bumped it rolls back.
"""

from django.db import migrations

SQL = """
CREATE TABLE timelimits_calendarversion (id smallint PRIMARY KEY, version bigint NOT NULL);
INSERT INTO timelimits_calendarversion VALUES (1, 1);
CREATE FUNCTION timelimits_bump_calendar_version() RETURNS trigger AS $$
BEGIN
    INSERT INTO timelimits_calendarversion VALUES (1, 1)
    ON CONFLICT (id) DO UPDATE SET version = timelimits_calendarversion.version + 1;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER timelimits_calendar_changed
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON timelimits_workcalendarday
FOR EACH STATEMENT EXECUTE FUNCTION timelimits_bump_calendar_version();
"""

REVERSE = """
DROP TRIGGER IF EXISTS timelimits_calendar_changed ON timelimits_workcalendarday;
DROP FUNCTION IF EXISTS timelimits_bump_calendar_version();
DROP TABLE IF EXISTS timelimits_calendarversion;
"""


class Migration(migrations.Migration):
    dependencies = [("timelimits", "0003_fewer_indexes_for_the_sweep")]

    operations = [migrations.RunSQL(SQL, REVERSE)]

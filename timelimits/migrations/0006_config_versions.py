"""One version row per cached configuration, bumped by a trigger on every change to its tables.

Generalises 0004 (calendar only): ``timelimits.versions.fingerprint()`` reads every
row in one primary-key-ordered scan of a two-row table, and each per-process cache
(the calendar; the policies with their 督办 ladders) is rebuilt when its key moves.
The triggers catch every writer — services, the admin, a queryset ``update()``, a
shell, a migration — and ``xmin`` keeps the key unique when a bumping transaction
rolls back.
"""

from django.db import migrations

SQL = """
CREATE TABLE timelimits_configversion (name varchar(20) PRIMARY KEY, version bigint NOT NULL);
INSERT INTO timelimits_configversion SELECT 'calendar', version FROM timelimits_calendarversion;
INSERT INTO timelimits_configversion VALUES ('policy', 1);

DROP TRIGGER timelimits_calendar_changed ON timelimits_workcalendarday;
DROP FUNCTION timelimits_bump_calendar_version();
DROP TABLE timelimits_calendarversion;

CREATE FUNCTION timelimits_bump_config_version() RETURNS trigger AS $$
BEGIN
    INSERT INTO timelimits_configversion VALUES (TG_ARGV[0], 1)
    ON CONFLICT (name) DO UPDATE SET version = timelimits_configversion.version + 1;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER timelimits_calendar_changed
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON timelimits_workcalendarday
FOR EACH STATEMENT EXECUTE FUNCTION timelimits_bump_config_version('calendar');
CREATE TRIGGER timelimits_policy_changed
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON timelimits_timelimitpolicy
FOR EACH STATEMENT EXECUTE FUNCTION timelimits_bump_config_version('policy');
CREATE TRIGGER timelimits_step_changed
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON timelimits_escalationstep
FOR EACH STATEMENT EXECUTE FUNCTION timelimits_bump_config_version('policy');
"""

REVERSE = """
DROP TRIGGER IF EXISTS timelimits_step_changed ON timelimits_escalationstep;
DROP TRIGGER IF EXISTS timelimits_policy_changed ON timelimits_timelimitpolicy;
DROP TRIGGER IF EXISTS timelimits_calendar_changed ON timelimits_workcalendarday;
DROP FUNCTION IF EXISTS timelimits_bump_config_version();
DROP TABLE IF EXISTS timelimits_configversion;
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


class Migration(migrations.Migration):
    dependencies = [("timelimits", "0005_notices_to_an_address")]

    operations = [migrations.RunSQL(SQL, REVERSE)]

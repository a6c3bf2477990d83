"""The tracking number computed by the database, so a filing is one statement (complaints.numbers).

``complaints_tracking_no(prefix, year, serial)`` spells ``XN-2026-000123-7``: the
same ISO 7064 MOD 11,10 check digit as ``complaints.numbers.check_digit``, which
still validates numbers people type; a test compares the two over many serials.
"""

from django.db import migrations

FUNCTIONS = """
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
    dependencies = [("complaints", "0003_public_face")]

    operations = [
        migrations.RunSQL(
            FUNCTIONS,
            reverse_sql="DROP FUNCTION IF EXISTS complaints_tracking_no(text, int, bigint);"
            "DROP FUNCTION IF EXISTS complaints_check_digit(text);",
        )
    ]

"""Database helpers shared by apps' migrations."""

from __future__ import annotations

from django.db import migrations

_FUNCTION = """
CREATE OR REPLACE FUNCTION portal_forbid_mutation() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'table % is append-only', TG_TABLE_NAME USING ERRCODE = 'check_violation';
END;
$$ LANGUAGE plpgsql;
"""


def append_only(table: str) -> migrations.RunSQL:
    """A migration operation that makes ``table`` append-only: UPDATE and DELETE raise.

    Event tables are the record from which rates are recomputed and auditors
    read history, so not even a bug or an admin shell may rewrite them.
    TRUNCATE (used by test teardown) stays possible.
    """
    return migrations.RunSQL(
        sql=_FUNCTION
        + f"""
        CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION portal_forbid_mutation();
        """,
        reverse_sql=f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};",
    )

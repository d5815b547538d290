"""The change log counts each writing transaction's statements per table (``reports.cache``): a report section is
cached against the versions of only the tables it reads, so a change to one table leaves the sections that do
not read it served from the cache.

The rows logged so far name no table: they are removed, and one row of the log's own name, written by this
transaction (a transaction id larger than any before it), marks the new log's start. Every version read from now
on contains it, so none equals a version read before.
"""

from django.db import migrations

FORWARD = """
DELETE FROM reports_datachange;
ALTER TABLE reports_datachange DROP CONSTRAINT reports_datachange_pkey;
ALTER TABLE reports_datachange ADD COLUMN tbl text NOT NULL DEFAULT 'reports_datachange';
ALTER TABLE reports_datachange ALTER COLUMN tbl DROP DEFAULT;
ALTER TABLE reports_datachange ADD PRIMARY KEY (tbl, xid);
CREATE OR REPLACE FUNCTION reports_note_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO reports_datachange AS c (tbl, xid) VALUES (TG_TABLE_NAME, pg_current_xact_id())
    ON CONFLICT (tbl, xid) DO UPDATE SET statements = c.statements + 1;
    RETURN NULL;
END
$$;
INSERT INTO reports_datachange (tbl, xid) VALUES ('reports_datachange', pg_current_xact_id());
"""

BACKWARD = """
DELETE FROM reports_datachange;
ALTER TABLE reports_datachange DROP CONSTRAINT reports_datachange_pkey;
ALTER TABLE reports_datachange DROP COLUMN tbl;
ALTER TABLE reports_datachange ADD PRIMARY KEY (xid);
CREATE OR REPLACE FUNCTION reports_note_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO reports_datachange AS c (xid) VALUES (pg_current_xact_id())
    ON CONFLICT (xid) DO UPDATE SET statements = c.statements + 1;
    RETURN NULL;
END
$$;
INSERT INTO reports_datachange (xid) VALUES (pg_current_xact_id());
"""


class Migration(migrations.Migration):
    dependencies = [("reports", "0009_outcome_tables_logged")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]

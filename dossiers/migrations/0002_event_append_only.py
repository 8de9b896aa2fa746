"""The audit log is append-only: the database itself refuses UPDATE, DELETE and TRUNCATE on events."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION dossiers_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'dossiers_dossierevent is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER dossiers_event_no_update_delete
    BEFORE UPDATE OR DELETE ON dossiers_dossierevent
    FOR EACH ROW EXECUTE FUNCTION dossiers_event_append_only();

CREATE TRIGGER dossiers_event_no_truncate
    BEFORE TRUNCATE ON dossiers_dossierevent
    FOR EACH STATEMENT EXECUTE FUNCTION dossiers_event_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS dossiers_event_no_truncate ON dossiers_dossierevent;
DROP TRIGGER IF EXISTS dossiers_event_no_update_delete ON dossiers_dossierevent;
DROP FUNCTION IF EXISTS dossiers_event_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0001_initial")]
    operations = [migrations.RunSQL(FORWARD, BACKWARD)]

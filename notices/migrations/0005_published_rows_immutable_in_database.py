"""PostgreSQL refuses any change to a published version or its sections, whatever the route.

The models' guards (save, delete, queryset update and delete) give a clear error on the ORM's
usual paths, but bulk_create, re-parenting a section with update(version=...), and raw SQL go
around them. These triggers are the guarantee in production:

- a version row whose stored status is 'published' is never updated or deleted (publishing
  itself is an update of a draft, which is allowed);
- a section is never inserted into, moved into, changed in, moved out of or deleted from a
  published version: both the old and the new version are checked.

TRUNCATE (used by the test runner between transactional tests) fires no row trigger. SQLite
keeps the ORM guards only (README, "Published versions never change").
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION notices_refuse_published_version_change() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'published' THEN
        RAISE EXCEPTION 'A published version never changes (version %).', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER notices_published_version_immutable
    BEFORE UPDATE OR DELETE ON notices_noticeversion
    FOR EACH ROW EXECUTE FUNCTION notices_refuse_published_version_change();

CREATE OR REPLACE FUNCTION notices_refuse_published_section_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (
        SELECT 1 FROM notices_noticeversion
        WHERE id = OLD.version_id AND status = 'published'
    ) THEN
        RAISE EXCEPTION 'A section of a published version never changes (version %).',
            OLD.version_id USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND EXISTS (
        SELECT 1 FROM notices_noticeversion
        WHERE id = NEW.version_id AND status = 'published'
    ) THEN
        RAISE EXCEPTION 'Nothing is added to a published version (version %).',
            NEW.version_id USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER notices_published_section_immutable
    BEFORE INSERT OR UPDATE OR DELETE ON notices_section
    FOR EACH ROW EXECUTE FUNCTION notices_refuse_published_section_change();
"""

DROP = """
DROP TRIGGER IF EXISTS notices_published_section_immutable ON notices_section;
DROP FUNCTION IF EXISTS notices_refuse_published_section_change();
DROP TRIGGER IF EXISTS notices_published_version_immutable ON notices_noticeversion;
DROP FUNCTION IF EXISTS notices_refuse_published_version_change();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("notices", "0004_version_recorded_as_historical")]

    operations = [
        migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP), elidable=False),
    ]

from django.db import migrations

from articles.migration_operations import run_on_postgresql

# An insert must carry the database's own time (no back-dating: nothing before
# its transaction began) and extend the chain at its head. TRUNCATE, which
# skips row triggers, is refused by a statement trigger (see the README on the
# test suite's flush between transactional tests).
CREATE = """
CREATE FUNCTION audit_entry_extends_chain() RETURNS trigger AS $$
DECLARE
    head_id bigint;
    head_hash varchar;
BEGIN
    IF NEW.created_at IS NULL OR NEW.created_at < now()
            OR NEW.created_at > clock_timestamp() THEN
        RAISE EXCEPTION USING MESSAGE = 'audit entries are stamped with the '
            'database clock: created_at ' || coalesce(NEW.created_at::text, 'null')
            || ' is outside the writing transaction';
    END IF;
    SELECT id, entry_hash INTO head_id, head_hash
        FROM audit_auditentry ORDER BY id DESC LIMIT 1;
    IF NEW.prev_hash IS DISTINCT FROM coalesce(head_hash, repeat('0', 64))
            OR NEW.id <= head_id THEN
        RAISE EXCEPTION USING MESSAGE = 'audit entries extend the chain: entry '
            || NEW.id || ' must come after entry ' || coalesce(head_id::text, 'none')
            || ' and carry its hash';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_entry_extends_chain
    BEFORE INSERT ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_extends_chain();
CREATE TRIGGER audit_entry_no_truncate
    BEFORE TRUNCATE ON audit_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS audit_entry_no_truncate ON audit_auditentry;
DROP TRIGGER IF EXISTS audit_entry_extends_chain ON audit_auditentry;
DROP FUNCTION IF EXISTS audit_entry_extends_chain();
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_hash_chain")]

    # SQLite has no plpgsql; there audit.services.audit_record stamps and chains.
    operations = [migrations.RunPython(run_on_postgresql(CREATE), run_on_postgresql(DROP))]

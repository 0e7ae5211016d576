from django.db import migrations, models

from audit.chain import GENESIS, entry_hash_of


def chain_existing_entries(apps, schema_editor):
    """Chain the entries written before the chain existed, oldest id first."""
    AuditEntry = apps.get_model("audit", "AuditEntry")
    postgresql = schema_editor.connection.vendor == "postgresql"
    if postgresql:  # The append-only trigger refuses the one update we need.
        schema_editor.execute(
            "ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only"
        )
    prev_hash, batch = GENESIS, []
    for entry in AuditEntry.objects.order_by("pk").iterator(chunk_size=2000):
        entry.prev_hash = prev_hash
        entry.entry_hash = prev_hash = entry_hash_of(entry)
        batch.append(entry)
        if len(batch) == 1000:
            AuditEntry.objects.bulk_update(batch, ["prev_hash", "entry_hash"])
            batch = []
    AuditEntry.objects.bulk_update(batch, ["prev_hash", "entry_hash"])
    if postgresql:
        schema_editor.execute(
            "ALTER TABLE audit_auditentry ENABLE TRIGGER audit_entry_append_only"
        )


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_claim_actions")]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="prev_hash",
            field=models.CharField(default="", editable=False, help_text="The previous entry's hash.", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditentry",
            name="entry_hash",
            field=models.CharField(default="", editable=False, help_text="SHA-256 of this entry's content and the previous hash.", max_length=64),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="created_at",
            field=models.DateTimeField(db_index=True, editable=False, help_text="Read from the database's clock when the entry is written; on PostgreSQL the database refuses any other time."),
        ),
        migrations.RunPython(chain_existing_entries, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="auditentry",
            constraint=models.UniqueConstraint(fields=("prev_hash",), name="audit_chain_no_fork"),
        ),
    ]

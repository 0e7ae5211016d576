import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from articles.models import Article
from audit.models import AuditEntry
from audit.services import audit_record
from desk.services import article_start
from tests.factories import article_content

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(reporter):
    article = article_start(actor=reporter, content=article_content(body=""))
    return audit_record(
        actor=reporter,
        action=AuditEntry.Action.TRANSITION,
        article=article,
        from_state="draft",
        to_state="submitted",
    )


@pytest.mark.postgres
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditentry SET message = 'rewritten' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ],
)
def test_the_database_itself_refuses_to_change_an_audit_entry(entry, sql):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [entry.pk])
    entry.refresh_from_db()
    assert entry.message == ""


def test_the_admin_shows_the_log_read_only(admin_client, entry):
    assert admin_client.get("/admin/audit/auditentry/").status_code == 200
    change = admin_client.get(f"/admin/audit/auditentry/{entry.pk}/change/")
    assert change.status_code == 200 and b"Save" not in change.content
    assert entry.entry_hash.encode() in change.content
    assert (
        admin_client.post(f"/admin/audit/auditentry/{entry.pk}/delete/").status_code
        == 403
    )


@pytest.fixture
def truncate_refused():
    """The no-truncate trigger as the migration made it (the suite turns it off
    for Django's flush between transactional tests; see tests/conftest.py)."""
    with connection.cursor() as cursor:
        # ALTER TABLE waits for no deferred foreign-key check: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "ALTER TABLE audit_auditentry ENABLE TRIGGER audit_entry_no_truncate"
        )


@pytest.mark.postgres
def test_the_database_refuses_to_truncate_the_audit_log(entry, truncate_refused):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("TRUNCATE audit_auditentry")
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.postgres
def test_manage_py_flush_cannot_empty_the_audit_log(entry, truncate_refused):
    with pytest.raises(CommandError, match="couldn't be flushed") as refused:
        call_command("flush", interactive=False, verbosity=0)
    assert "append-only" in str(refused.value.__cause__)
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
    assert Article.objects.filter(pk=entry.article_id).exists()  # nothing emptied

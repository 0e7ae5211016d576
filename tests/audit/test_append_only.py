import pytest
from django.db import DatabaseError, connection, transaction

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
    assert (
        admin_client.post(f"/admin/audit/auditentry/{entry.pk}/delete/").status_code
        == 403
    )

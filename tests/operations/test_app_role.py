"""The app as a database role that does not own the tables: it works, and it
cannot change, empty or unguard the audit log."""

import uuid

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from articles.models import Article
from audit.models import AuditEntry
from audit.services import audit_record
from desk.services import article_start
from operations.app_role import app_role_sql
from tests.factories import article_content

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_app_role(reporter):
    """Inside the test's transaction (so rolled back with it): a role given
    exactly what ``app_role_sql`` prints, then this connection acting as it."""
    article = article_start(actor=reporter, content=article_content(body=""))
    role = f"newsroom_app_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{role}" NOLOGIN')
        for statement in app_role_sql(
            role=role, database_name=connection.settings_dict["NAME"]
        ):
            cursor.execute(statement)
        cursor.execute(f'SET LOCAL ROLE "{role}"')
    yield article
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")


def refused(sql: str, params=()) -> str:
    with (
        pytest.raises(DatabaseError) as error,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)
    return str(error.value)


@pytest.mark.postgres
def test_the_app_role_writes_the_newsroom_and_appends_to_the_audit_log(
    as_app_role, reporter
):
    entry = audit_record(
        actor=reporter,
        action=AuditEntry.Action.TRANSITION,
        article=as_app_role,
        to_state="submitted",
    )
    Article.objects.filter(pk=as_app_role.pk).update(headline="Edited by the app")
    assert AuditEntry.objects.get(pk=entry.pk).entry_hash == entry.entry_hash


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("sql", "reason"),
    [
        ("UPDATE audit_auditentry SET message = 'rewritten'", "permission denied"),
        ("DELETE FROM audit_auditentry", "permission denied"),
        ("TRUNCATE audit_auditentry", "permission denied"),
        (
            "DROP TRIGGER audit_entry_append_only ON audit_auditentry",
            "must be owner",
        ),
        (
            "ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_no_truncate",
            "must be owner",
        ),
        ("SET session_replication_role = replica", "permission denied"),
    ],
)
def test_the_app_role_cannot_change_empty_or_unguard_the_audit_log(
    as_app_role, reporter, sql, reason
):
    audit_record(
        actor=reporter, action=AuditEntry.Action.TRANSITION, article=as_app_role
    )
    assert reason in refused(sql)


def test_app_role_sql_refuses_a_name_it_would_have_to_quote():
    with pytest.raises(CommandError, match="not a plain PostgreSQL name"):
        call_command("app_role_sql", 'app"; DROP TABLE audit_auditentry; --')

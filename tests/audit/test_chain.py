"""The audit log's hash chain, and ``verify_audit`` finding every kind of
tampering done behind the application's back."""

import datetime
import io
from contextlib import contextmanager

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from audit.chain import GENESIS, chain_problems, entry_hash_of
from audit.models import AuditEntry
from audit.selectors import chain_rows
from audit.services import audit_record
from desk.services import article_start
from tests.conftest import allow_test_flush
from tests.factories import article_content

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(reporter):
    return article_start(actor=reporter, content=article_content(body=""))


@pytest.fixture
def record(article, reporter):
    def record(message: str, **kwargs) -> AuditEntry:
        return audit_record(
            actor=reporter,
            action=AuditEntry.Action.TRANSITION,
            article=article,
            message=message,
            **kwargs,
        )

    return record


@pytest.fixture
def three(record):
    return [record("one"), record("two"), record("three")]


@contextmanager
def behind_the_apps_back():
    """A cursor for the table owner tampering with the log: on PostgreSQL with
    the triggers off (as a superuser can), so the chain is all that is left."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        yield cursor
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")


def verify(*args) -> str:
    """Run ``verify_audit`` and return its report; on a tampered log it raises
    ``CommandError`` carrying the problems it wrote."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_audit", *args, stdout=out, stderr=err)
    except CommandError as failed:
        failed.problems = err.getvalue().splitlines()
        raise
    return out.getvalue()


def problems(*args) -> list[str]:
    with pytest.raises(CommandError, match="tampered with") as failed:
        verify(*args)
    return failed.value.problems


def test_each_entry_carries_the_hash_of_the_one_before(three):
    first, second, third = three
    assert first.prev_hash == GENESIS
    assert second.prev_hash == first.entry_hash
    assert third.prev_hash == second.entry_hash
    assert len({e.entry_hash for e in three}) == 3


def test_an_entry_hashes_the_same_after_its_trip_through_the_database(record):
    entry = record(
        "Ærø’s “quote” \u2014 ✓",
        data={
            "revision": 7,
            "large": 1e20,
            "ratio": 0.1,
            "tiny": 1.5e-10,
            "flags": (True, None, "x"),
            1: "numeric key",
            "nested": {"b": [1, 2.0], "a": "z"},
        },
    )
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.data == entry.data  # what audit_record kept is what is stored
    assert entry_hash_of(stored) == entry.entry_hash == stored.entry_hash
    assert stored.created_at == entry.created_at


def test_data_json_cannot_hold_is_refused_before_anything_is_written(record):
    with pytest.raises(ValueError):
        record("nan", data={"score": float("nan")})
    with pytest.raises(TypeError):
        record("object", data={"when": object()})
    assert not AuditEntry.objects.exists()


def test_an_entry_saved_without_audit_record_is_refused(article):
    with pytest.raises(Exception, match="audit_record"):
        AuditEntry.objects.create(
            action=AuditEntry.Action.TRANSITION,
            article=article,
            created_at=timezone.now(),
        )


def test_verify_audit_passes_an_untouched_log_and_names_its_head(three):
    assert f"3 entries, head #{three[-1].pk} {three[-1].entry_hash}" in verify()
    verify("--anchor", three[1].entry_hash)  # an older head is still in the chain


def test_verify_audit_reports_an_altered_entry(three):
    with behind_the_apps_back() as cursor:
        cursor.execute(
            "UPDATE audit_auditentry SET message = 'rewritten' WHERE id = %s",
            [three[1].pk],
        )
    with pytest.raises(CommandError, match="1 problem"):
        verify()
    assert problems() == [
        f"#{three[1].pk} altered: its content no longer matches its hash"
    ]


def test_verify_audit_reports_an_entry_rewritten_with_a_fresh_hash(three):
    forged = AuditEntry.objects.get(pk=three[1].pk)
    forged.to_state = "approved"
    with behind_the_apps_back() as cursor:
        cursor.execute(
            "UPDATE audit_auditentry SET to_state = %s, entry_hash = %s WHERE id = %s",
            [forged.to_state, entry_hash_of(forged), forged.pk],
        )
    assert problems() == [
        f"#{three[2].pk} does not follow #{three[1].pk}: entries between them "
        f"were deleted, or #{three[1].pk} was rewritten"
    ]


def test_verify_audit_reports_a_deleted_entry(three):
    with behind_the_apps_back() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [three[1].pk])
    assert problems() == [
        f"#{three[2].pk} does not follow #{three[0].pk}: entries between them "
        f"were deleted, or #{three[0].pk} was rewritten"
    ]


def test_verify_audit_reports_the_first_entries_deleted(three):
    with behind_the_apps_back() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [three[0].pk])
    assert problems() == [
        f"#{three[1].pk} does not start the chain: entries before it were deleted"
    ]


def test_verify_audit_reports_an_inserted_entry(record):
    first = record("one")
    _skip_an_id()  # a gap, as a rolled-back transaction leaves on PostgreSQL
    second = record("two")
    # A forger who knows the hash rule fits an entry into the gap. It cannot
    # claim to follow the first entry: the second one already does, and the
    # unique constraint allows one successor.
    forged = AuditEntry(
        id=first.pk + 1,
        action=AuditEntry.Action.OVERRIDE,
        article_id=first.article_id,
        message="approved by the editor-in-chief",
        prev_hash="f" * 64,
        created_at=first.created_at,
    )
    forged.entry_hash = entry_hash_of(forged)
    with behind_the_apps_back():
        forged.save(force_insert=True)
    assert problems() == [
        f"#{forged.pk} inserted: #{second.pk} follows #{first.pk}, not it"
    ]


def test_verify_audit_reports_a_cut_tail_against_a_recorded_anchor(three):
    anchor = three[-1].entry_hash
    with behind_the_apps_back() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [three[-1].pk])
    verify()  # the chain alone cannot tell: what is left is a whole chain
    with pytest.raises(CommandError):
        verify("--anchor", anchor)
    assert problems("--anchor", anchor) == [
        f"the recorded head {anchor} is no longer in the log: entries were "
        "deleted or rewritten since it was recorded"
    ]


def test_the_walk_goes_on_after_a_break_and_reports_each_once(three, record):
    more = [record("four"), record("five")]
    with behind_the_apps_back() as cursor:
        cursor.execute(
            "DELETE FROM audit_auditentry WHERE id IN (%s, %s)",
            [three[1].pk, more[0].pk],
        )
    assert len(list(chain_problems(chain_rows()))) == 2


def _skip_an_id() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence('audit_auditentry', 'id'))"
            )
        else:
            cursor.execute(
                "UPDATE sqlite_sequence SET seq = seq + 1 "
                "WHERE name = 'audit_auditentry'"
            )


@pytest.mark.postgres
@pytest.mark.parametrize(
    "created_at",
    ["now() - interval '1 day'", "clock_timestamp() + interval '1 minute'"],
)
def test_the_database_refuses_an_entry_not_stamped_with_its_own_clock(
    record, created_at
):
    head = record("head")
    with (
        pytest.raises(DatabaseError, match="stamped with the database clock"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "INSERT INTO audit_auditentry (created_at, action, from_state, to_state, "
            "message, data, article_id, prev_hash, entry_hash) VALUES "
            f"({created_at}, 'override', '', '', 'back-dated', '{{}}', %s, %s, 'x')",
            [head.article_id, head.entry_hash],
        )


@pytest.mark.postgres
def test_the_database_refuses_an_entry_that_does_not_extend_the_chain(record):
    first, second = record("one"), record("two")
    with (
        pytest.raises(DatabaseError, match="extend the chain"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "INSERT INTO audit_auditentry (created_at, action, from_state, to_state, "
            "message, data, article_id, prev_hash, entry_hash) VALUES "
            "(now(), 'override', '', '', 'forked', '{}', %s, %s, 'x')",
            [first.article_id, first.entry_hash],  # not the head: second is
        )
    assert AuditEntry.objects.count() == 2 and second.prev_hash == first.entry_hash


@pytest.mark.postgres
def test_two_entries_cannot_follow_the_same_one(record):
    first = record("one")
    with (
        behind_the_apps_back() as cursor,
        pytest.raises(IntegrityError),
        transaction.atomic(),
    ):
        cursor.execute(
            "INSERT INTO audit_auditentry (created_at, action, from_state, "
            "to_state, message, data, article_id, prev_hash, entry_hash) VALUES "
            "(now(), 'override', '', '', 'fork', '{}', %s, %s, 'x')",
            [first.article_id, GENESIS],
        )


@pytest.mark.django_db(transaction=True)
def test_the_migration_chains_the_entries_written_before_the_chain(reporter):
    article = article_start(actor=reporter, content=article_content(body=""))
    before_chain = [("audit", "0003_claim_actions")]
    executor = MigrationExecutor(connection)
    executor.migrate(before_chain)
    try:
        OldEntry = executor.loader.project_state(before_chain).apps.get_model(
            "audit", "AuditEntry"
        )
        moment = timezone.now() - datetime.timedelta(days=30)
        old_ids = [
            OldEntry.objects.create(
                article_id=article.pk,
                actor_id=reporter.pk,
                action="transition",
                to_state=state,
                data={"transition": state},
                created_at=moment + datetime.timedelta(minutes=n, microseconds=n),
            ).pk
            for n, state in enumerate(["submitted", "approved", "published"])
        ]
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    finally:
        allow_test_flush()  # the migration made the no-truncate trigger again
    entries = list(AuditEntry.objects.order_by("pk"))
    assert [e.pk for e in entries] == old_ids
    assert entries[0].prev_hash == GENESIS
    assert [e.prev_hash for e in entries[1:]] == [e.entry_hash for e in entries[:-1]]
    assert all(entry_hash_of(e) == e.entry_hash for e in entries)
    audit_record(
        actor=reporter,
        action=AuditEntry.Action.TRANSITION,
        article=article,
        message="after the migration",
    )
    verify()

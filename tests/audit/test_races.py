"""Concurrent writers on PostgreSQL: the chain lock keeps one chain, in id order."""

import threading

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from audit.chain import GENESIS
from audit.models import AuditEntry
from audit.services import audit_record
from desk.services import article_start
from tests.conftest import wait_for
from tests.factories import article_content

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def in_thread(work, failures: list) -> threading.Thread:
    """Run ``work`` on its own connection, keeping any exception for the test."""

    def run():
        try:
            work()
        except Exception as error:  # reported by the test
            failures.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def waiting_for_a_lock(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE pid = %s AND NOT granted", [pid]
        )
        return cursor.fetchone()[0] > 0


def test_a_second_writer_waits_for_the_first_to_commit_and_chains_after_it(
    reporter,
):
    article = article_start(actor=reporter, content=article_content(body=""))
    first_wrote, first_may_commit = threading.Event(), threading.Event()
    second_pid, failures = [], []

    def record(message: str) -> AuditEntry:
        return audit_record(
            actor=reporter, action="transition", article=article, message=message
        )

    def first():
        with transaction.atomic():
            record("first")
            first_wrote.set()
            assert first_may_commit.wait(timeout=30)

    def second():
        connection.ensure_connection()
        second_pid.append(connection.connection.info.backend_pid)
        assert first_wrote.wait(timeout=30)
        with transaction.atomic():
            record("second")

    threads = [in_thread(first, failures)]
    wait_for(first_wrote.is_set)
    threads.append(in_thread(second, failures))
    # The second writer blocks on the chain lock while the first one's entry
    # is uncommitted (invisible to it); it must not chain onto the old head.
    wait_for(lambda: second_pid and waiting_for_a_lock(second_pid[0]))
    first_may_commit.set()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    first_entry, second_entry = AuditEntry.objects.order_by("pk")
    assert first_entry.prev_hash == GENESIS
    assert (first_entry.message, second_entry.message) == ("first", "second")
    assert second_entry.prev_hash == first_entry.entry_hash
    call_command("verify_audit")


def test_many_writers_at_once_leave_one_chain_in_id_and_time_order(reporter):
    article = article_start(actor=reporter, content=article_content(body=""))
    start, failures = threading.Barrier(4), []

    def writer(n: int):
        def write():
            start.wait(timeout=30)
            for i in range(10):
                with transaction.atomic():
                    audit_record(
                        actor=reporter,
                        action="transition",
                        article=article,
                        message=f"writer {n}, entry {i}",
                    )

        return write

    threads = [in_thread(writer(n), failures) for n in range(4)]
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
    entries = list(AuditEntry.objects.order_by("pk"))
    assert len(entries) == 40
    assert [e.prev_hash for e in entries[1:]] == [e.entry_hash for e in entries[:-1]]
    stamps = [e.created_at for e in entries]
    assert stamps == sorted(stamps)  # stamped after the lock: commit order is id order
    call_command("verify_audit")

"""Backups with pg_dump and restores with pg_restore: a realistic newsroom
round-trips into a fresh database row for row, audit log included."""

import datetime
import os
import stat
import uuid

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from audit.chain import CHAINED_FIELDS, chain_problems
from audit.models import AuditEntry
from desk import workflow
from desk.services import article_save, article_start, error_report_submit
from factcheck.models import Evidence
from factcheck.services import claim_review, claims_assign
from operations.backups import (
    backup_path,
    backups_prune,
    database_backup,
    database_restore,
)
from operations.exceptions import OperationFailed
from operations.postgres import database_target
from tests.factories import article_content

BODY = (
    "The river authority said on Monday that 1,200 homes were flooded.\n\n"
    "“We are rebuilding the levee before the next storm,” the mayor told "
    "reporters in Ærøskøbing.\n\n"
    "Rainfall reached 310 mm in 24 hours, according to the weather service."
)

POSTGRES_SETTINGS = {
    "ENGINE": "django.db.backends.postgresql",
    "NAME": "newsroom",
    "HOST": "127.0.0.1",
    "PORT": "5432",
    "USER": "postgres",
    "PASSWORD": "",
    "OPTIONS": {},
}


def seed_newsroom(reporter, editor, factchecker, publisher):
    """A published, reviewed, corrected story and a draft, all through the
    services, so every table the newsroom writes has rows."""
    story = article_start(
        actor=reporter,
        content=article_content(body=BODY, author_ids=(reporter.pk,)),
    )
    article_save(
        article=story,
        actor=reporter,
        content=article_content(
            body=BODY + "\n\nThe authority expects more rain on Friday.",
            author_ids=(reporter.pk,),
        ),
        base_revision_id=story.current_revision_id,
        summary="Adds the forecast.",
    )
    workflow.article_transition(article_id=story.pk, actor=reporter, name="submit")
    claims = list(story.claims.order_by("pk"))
    assert len(claims) >= 3
    claims_assign(
        claim_ids=[claim.pk for claim in claims],
        actor=editor,
        assignee=factchecker,
        due_at=timezone.now() + datetime.timedelta(hours=6),
    )
    for claim in claims:
        claim_review(
            claim_id=claim.pk,
            actor=factchecker,
            attribution="confirmed",
            veracity="accurate",
            note="Checked against the authority's bulletin.",
            public_explanation="The authority's bulletin gives the same figure.",
            evidence=[
                {
                    "title": "Flood bulletin no. 7",
                    "url": "https://example.org/bulletin-7",
                    "original_text": "1 200 logements inondés",
                    "translation": "1,200 homes flooded",
                }
            ],
        )
    for name, actor in [("approve", editor), ("publish", publisher)]:
        workflow.article_transition(article_id=story.pk, actor=actor, name=name)
    workflow.article_transition(
        article_id=story.pk,
        actor=publisher,
        name="correct",
        message="An earlier version misspelt the town's name.",
    )
    story.refresh_from_db()
    error_report_submit(
        article=story, message="The rainfall figure looks wrong.", name="A reader"
    )
    article_start(
        actor=reporter,
        content=article_content(slug="draft", body="A draft nobody has seen."),
    )


def table_rows(conn: psycopg.Connection) -> dict[str, list[str]]:
    """Every user table's rows as COPY writes them (microseconds included),
    sorted, so the comparison ignores physical order only."""
    tables = [
        name
        for (name,) in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            "ORDER BY tablename"
        )
    ]
    rows = {}
    with conn.cursor() as cursor:
        for table in tables:
            with cursor.copy(f'COPY "{table}" TO STDOUT') as copy:
                data = b"".join(bytes(block) for block in copy)
            rows[table] = sorted(data.decode().splitlines())
    return rows


def sequences_and_triggers(conn: psycopg.Connection) -> tuple[list, list]:
    sequences = conn.execute(
        "SELECT sequencename, last_value FROM pg_sequences "
        "WHERE schemaname = 'public' ORDER BY 1"
    ).fetchall()
    triggers = conn.execute(
        "SELECT tgrelid::regclass::text, tgname, tgenabled FROM pg_trigger "
        "WHERE NOT tgisinternal ORDER BY 1, 2"
    ).fetchall()
    return sequences, triggers


@pytest.fixture
def fresh_database():
    """An empty database on the test server, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    admin = database_target(connection.settings_dict, name="postgres")
    with admin.connect() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield name
    with admin.connect() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_fresh_database_row_for_row(
    reporter, editor, factchecker, publisher, fresh_database, tmp_path, capsys
):
    seed_newsroom(reporter, editor, factchecker, publisher)
    archive = tmp_path / "newsroom.dump"

    call_command("backup_database", "--output", str(archive))
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    call_command("restore_database", str(archive), "--database-name", fresh_database)
    assert f"into {fresh_database}" in capsys.readouterr().out

    source = database_target(connection.settings_dict)
    restored = database_target(connection.settings_dict, name=fresh_database)
    with source.connect() as original, restored.connect() as copy:
        before, after = table_rows(original), table_rows(copy)
        assert sequences_and_triggers(copy) == sequences_and_triggers(original)
        copy.row_factory = psycopg.rows.dict_row
        chain = copy.execute(
            "SELECT id, entry_hash, "
            + ", ".join(CHAINED_FIELDS)
            + " FROM audit_auditentry ORDER BY id"
        ).fetchall()
    assert before.keys() == after.keys()
    for table, rows in before.items():
        assert after[table] == rows, f"{table} differs after the restore"
    for table in (
        "articles_articlerevision",
        "factcheck_claimreview",
        "factcheck_evidence",
        "desk_errorreport",
    ):
        assert before[table], f"the seed left {table} empty"
    entries = AuditEntry.objects.order_by("pk")
    assert len(chain) == entries.count() >= 10
    assert [row["created_at"] for row in chain] == [e.created_at for e in entries]
    assert any(e.created_at.microsecond for e in entries)  # kept to the microsecond
    assert list(chain_problems(chain)) == []  # and still a whole chain
    assert Evidence.objects.filter(translation="1,200 homes flooded").exists()

    with pytest.raises(CommandError, match=r"already holds \d+ tables.*--force"):
        call_command(
            "restore_database", str(archive), "--database-name", fresh_database
        )
    call_command(
        "restore_database", str(archive), "--database-name", fresh_database, "--force"
    )
    with restored.connect() as copy:
        assert table_rows(copy) == before


@pytest.mark.postgres
def test_restore_refuses_the_live_database_that_is_not_empty(tmp_path):
    archive = tmp_path / "any.dump"
    call_command("backup_database", "--output", str(archive))
    with pytest.raises(CommandError, match="already holds"):
        call_command("restore_database", str(archive))


@pytest.mark.postgres
def test_a_missing_database_is_named_in_the_error(tmp_path):
    missing = {**connection.settings_dict, "NAME": "newsroom_no_such_database"}
    with pytest.raises(OperationFailed, match=r"newsroom_no_such_database.*not exist"):
        database_backup(database=missing, destination=tmp_path / "x.dump")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.postgres
def test_a_file_that_is_no_backup_is_refused(tmp_path):
    bogus = tmp_path / "notes.dump"
    bogus.write_text("not an archive")
    with pytest.raises(OperationFailed, match="is not a backup"):
        database_restore(database=connection.settings_dict, archive=bogus, name="x")
    with pytest.raises(OperationFailed, match="no backup file"):
        database_restore(
            database=connection.settings_dict, archive=tmp_path / "gone.dump"
        )


def test_missing_client_programs_are_named(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(OperationFailed, match="pg_dump was not found on PATH"):
        database_backup(database=POSTGRES_SETTINGS, destination=tmp_path / "x.dump")
    with pytest.raises(OperationFailed, match="pg_restore was not found on PATH"):
        database_restore(database=POSTGRES_SETTINGS, archive=tmp_path / "x.dump")


def test_a_sqlite_database_is_refused_with_the_reason(tmp_path):
    sqlite = {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}
    with pytest.raises(OperationFailed, match="PostgreSQL's pg_dump"):
        database_backup(database=sqlite, destination=tmp_path / "x.dump")


def test_the_password_stays_off_the_command_line():
    target = database_target(
        {
            **POSTGRES_SETTINGS,
            "PASSWORD": "s3cret word",
            "OPTIONS": {"sslmode": "require", "pool": {"max_size": 4}},
        }
    )
    assert "s3cret" not in target.conninfo
    assert "sslmode=require" in target.conninfo and "pool" not in target.conninfo
    assert target.environ["PGPASSWORD"] == "s3cret word"


def test_pruning_keeps_the_newest_backups_of_that_database(tmp_path):
    start = datetime.datetime(2026, 3, 1, 2, 0, tzinfo=datetime.UTC)
    made = [
        backup_path(tmp_path, "newsroom", start + datetime.timedelta(days=n))
        for n in range(4)
    ]
    other = tmp_path / "newsroom-staging-20260301T020000Z.dump"
    for path in [*made, other]:
        path.touch()
    assert (
        backups_prune(directory=tmp_path, database_name="newsroom", keep=2) == made[:2]
    )
    assert sorted(os.listdir(tmp_path)) == sorted(p.name for p in [*made[2:], other])
    assert backups_prune(directory=tmp_path / "none", database_name="x", keep=1) == []

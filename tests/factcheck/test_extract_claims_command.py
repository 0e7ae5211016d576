"""``manage.py extract_claims``: JSON lines per claim, no database writes."""

import io
import json
import shutil

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from desk.demo_loader import DATA_DIR, SEED_ARTICLE, load_demo

GOLD = json.loads(SEED_ARTICLE.with_suffix(".claims.json").read_text(encoding="utf-8"))


def run(*args) -> tuple[list[dict], str, int]:
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("extract_claims", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        code = exit_.code
    return (
        [json.loads(line) for line in out.getvalue().splitlines()],
        err.getvalue(),
        code,
    )


def check_against_gold(records: list[dict]) -> None:
    names = {key: source["name"] for key, source in GOLD["sources"].items()}
    assert len(records) == len(GOLD["claims"])
    for record, gold in zip(records, GOLD["claims"], strict=True):
        assert (record["start"], record["end"], record["text"]) == (
            gold["start"],
            gold["end"],
            gold["text"],
        )
        assert record["source"] == names.get(gold["source"])
        assert record["kind"] == gold["kind"] and record["cue"] == gold["cue"]
        if record["speaker"] is not None:
            text = SEED_ARTICLE.read_text(encoding="utf-8")
            assert (
                text[record["speaker_start"] : record["speaker_end"]]
                == record["speaker"]
            )


def test_with_a_registry_file_it_needs_no_database(tmp_path):
    records, _, code = run(
        str(SEED_ARTICLE), "--registry", str(DATA_DIR / "sources.json")
    )
    assert code == 0
    check_against_gold(records)
    assert {r["file"] for r in records} == {str(SEED_ARTICLE)}


@pytest.mark.django_db
def test_with_the_database_registry_it_only_reads(tmp_path, settings):
    settings.DEBUG = True
    load_demo()
    files = []
    for n in range(200):
        files.append(tmp_path / f"story-{n}.txt")
        shutil.copy(SEED_ARTICLE, files[-1])
    with CaptureQueriesContext(connection) as queries:
        records, _, code = run(*map(str, files))
    assert code == 0 and len(records) == 200 * len(GOLD["claims"])
    assert all(q["sql"].lstrip().upper().startswith("SELECT") for q in queries)
    check_against_gold([r for r in records if r["file"] == str(files[0])])


def test_unreadable_files_are_reported_and_the_rest_processed(tmp_path):
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Caf\xe9 owners said prices rose.".encode("latin-1"))
    missing = tmp_path / "missing.txt"
    records, errors, code = run(
        str(bad),
        str(missing),
        str(SEED_ARTICLE),
        "--registry",
        str(DATA_DIR / "sources.json"),
    )
    assert code == 1
    assert f"{bad}: skipped" in errors and f"{missing}: skipped" in errors
    assert len(records) == len(GOLD["claims"])


def test_a_broken_registry_file_is_a_clear_error(tmp_path):
    registry = tmp_path / "registry.json"
    registry.write_text("{not json")
    with pytest.raises(CommandError, match="Cannot read the registry"):
        call_command("extract_claims", str(SEED_ARTICLE), "--registry", str(registry))

"""Issue #12, item 9: odd input in the admin is never a 500.

NUL bytes in the admin's search, filters and autocomplete (PostgreSQL refuses
them in text), a race on a source's unique name, and edit pages whose GET
wrote to the database (SQLite's single writer made that a 500 in the demo).
"""

import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from desk.services import article_start
from factcheck.models import Source
from tests.factories import article_content

WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture
def article(reporter):
    return article_start(actor=reporter, content=article_content(body="First words."))


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize(
    "url, params",
    [
        ("admin:articles_article_changelist", {"q": "kim\x00"}),
        ("admin:articles_article_changelist", {"status__exact": "\x00"}),
        ("admin:articles_article_changelist", {"story_date__year": "2026\x00"}),
        ("admin:factcheck_source_changelist", {"q": "\x00", "country": "\x00"}),
        ("admin:factcheck_claim_changelist", {"q": "a\x00b"}),
        ("admin:desk_errorreport_changelist", {"q": "\x00"}),
        (
            "admin:autocomplete",
            {
                "term": "kim\x00",
                "app_label": "factcheck",
                "model_name": "claim",
                "field_name": "speaker",
            },
        ),
    ],
)
def test_nul_bytes_in_admin_search_filters_and_autocomplete_are_no_500(
    client, admin_user, article, url, params
):
    client.force_login(admin_user)
    response = client.get(reverse(url), params)
    assert response.status_code in (200, 302), response.content[:500]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "race_after_check",
    [1, 2],
    ids=["between-the-form-and-the-service", "between-the-service-and-the-insert"],
)
def test_a_source_name_taken_meanwhile_is_a_form_error_not_a_500(
    client, admin_user, monkeypatch, race_after_check
):
    """Two editors add the same source at once: the other's commits after the
    form's uniqueness check (1) or the service's (2), before this one's save."""
    checked = Source.validate_unique
    checks, raced = [], []

    def validate_unique_then_lose_the_race(self, exclude=None):
        checked(self, exclude)
        checks.append(True)
        if len(checks) == race_after_check:
            raced.append(True)
            other = threading.Thread(target=_other_editor_adds, args=(self.name,))
            other.start()
            other.join()

    monkeypatch.setattr(Source, "validate_unique", validate_unique_then_lose_the_race)
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:factcheck_source_add"),
        {
            "name": "Kim Yo Jong",
            "kind": Source.Kind.PERSON,
            "roles-TOTAL_FORMS": "0",
            "roles-INITIAL_FORMS": "0",
        },
    )
    assert raced
    assert response.status_code == 200
    assert "Source with this Name already exists." in response.content.decode()
    assert Source.objects.filter(name="Kim Yo Jong").count() == 1


def _other_editor_adds(name: str) -> None:
    try:
        Source.objects.create(name=name)
    finally:
        connection.close()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name", ["admin:articles_article_change", "desk:story_edit"]
)
def test_opening_an_edit_page_writes_nothing(client, editor, article, url_name):
    client.force_login(editor)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(url_name, args=[article.pk]))
    assert response.status_code == 200
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]
    assert writes == []
    # The page announces itself with its heartbeat instead (static/js/presence.js).
    assert "data-presence-url=" in response.content.decode()


@pytest.mark.django_db
def test_a_next_address_that_is_not_a_path_is_ignored_not_a_500(
    client, factchecker, submit_story
):
    """Found by the fuzz test: ``redirect("word")`` looks for a URL named so."""
    story = submit_story("Officials said the launch failed.")
    client.force_login(factchecker)
    response = client.post(
        reverse("desk:claim_assign", args=[story.claims.first().pk]),
        {"assign_to_me": "1", "next": "\x1d\x80a"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("desk:queue")

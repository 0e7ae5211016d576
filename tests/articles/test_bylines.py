"""Bylines credit the people who wrote the story (#12.6): only writers
(reporters, editors) can be credited, and crediting someone else is an
editor's call, so a reporter cannot take the checkers, editors or publishers
off a story by putting them in its byline."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from articles.models import Byline
from desk.services import article_start
from factcheck.services import claim_review
from tests.factories import UserFactory, article_content

pytestmark = pytest.mark.django_db

BODY = "Officials said the launch failed."


def _edit_data(client, url, story, **changes):
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(section=story.section_id, tags=[], **changes)
    return data


@pytest.fixture
def draft(reporter, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return article_start(
            actor=reporter,
            content=article_content(body=BODY, author_ids=(reporter.pk,)),
        )


@pytest.mark.parametrize("persona", ["factchecker", "publisher"])
def test_a_reporter_cannot_byline_a_checker_or_a_publisher(
    client, request, reporter, draft, persona
):
    target = request.getfixturevalue(persona)
    client.force_login(reporter)
    url = reverse("desk:story_edit", args=[draft.pk])
    page = client.get(url)
    offered = {user.pk for user in page.context["form"].fields["byline_users"].queryset}
    assert target.pk not in offered and reporter.pk in offered
    response = client.post(
        url,
        _edit_data(client, url, draft, byline_users=["reporter", target.username]),
    )
    assert response.status_code == 400
    assert list(
        Byline.objects.filter(article=draft).values_list("user", flat=True)
    ) == [reporter.pk]
    # And the checker can still do their job on the story.
    claim = draft.claims.get()
    assert claim_review(
        claim_id=claim.pk, actor=request.getfixturevalue("factchecker"),
        attribution="confirmed", veracity="accurate",
    )  # fmt: skip


def test_editors_are_credited_only_when_an_editor_confirms(
    client, reporter, editor, draft
):
    client.force_login(reporter)
    url = reverse("desk:story_edit", args=[draft.pk])
    response = client.post(
        url, _edit_data(client, url, draft, byline_users=["reporter", "editor"])
    )
    assert response.status_code == 400
    assert "an editor confirms other bylines" in response.content.decode()

    client.force_login(editor)
    second = UserFactory(username="reporter3", role="reporter")
    response = client.post(
        url,
        _edit_data(client, url, draft, byline_users=["reporter", "reporter3"]),
    )
    assert response.status_code == 302
    assert set(Byline.objects.filter(article=draft).values_list("user", flat=True)) == {
        reporter.pk,
        second.pk,
    }
    # The reporter may now save the story with the names the editor confirmed.
    client.force_login(reporter)
    kept = _edit_data(
        client, url, draft, byline_users=["reporter", "reporter3"], dek="Standfirst"
    )
    assert client.post(url, kept).status_code == 302


def test_the_service_refuses_whatever_the_page(reporter, publisher, editor):
    with pytest.raises(ValidationError, match="Only people who write stories"):
        article_start(
            actor=editor,
            content=article_content(author_ids=(editor.pk, publisher.pk)),
        )
    with pytest.raises(ValidationError, match="an editor confirms"):
        article_start(
            actor=reporter,
            content=article_content(author_ids=(reporter.pk, editor.pk)),
        )

"""Stored story renders: one query to serve, never served once readers' data changed."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Section, Tag
from desk import workflow
from factcheck import links
from factcheck.models import Evidence, Source
from factcheck.services import claim_review, evidence_link_check, source_save
from reader import renders, selectors
from reader.models import PublicEdition, StoryRender

pytestmark = pytest.mark.django_db


def page_of(client, article) -> str:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def publisher():
    return get_user_model().objects.get(username="publisher")


def test_a_stored_story_is_the_live_build_served_in_one_query(
    client, published, settings, django_assert_num_queries
):
    settings.STORY_RENDER_MAX_AGE = 0
    live = page_of(client, published)
    assert not StoryRender.objects.exists()  # 0 stores nothing

    settings.STORY_RENDER_MAX_AGE = 600
    assert page_of(client, published) == live  # built, then stored
    assert StoryRender.objects.get().article_id == published.pk
    with django_assert_num_queries(1):
        assert page_of(client, published) == live


def test_a_correction_reaches_a_stored_story(
    client, published, django_capture_on_commit_callbacks
):
    page_of(client, published)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.article_transition(
            article_id=published.pk,
            actor=publisher(),
            name="correct",
            message="An earlier version misstated the range.",
        )
    assert "An earlier version misstated the range." in page_of(client, published)


def test_an_unpublished_story_is_gone_whatever_was_stored(client, published):
    page_of(client, published)
    # No commit callbacks run here, so the edition stays: the status alone hides it.
    workflow.article_transition(
        article_id=published.pk, actor=publisher(), name="unpublish", message="Legal."
    )
    assert client.get(published.get_absolute_url()).status_code == 404


def test_a_change_that_lands_while_a_story_is_built_is_not_lost(
    client, published, monkeypatch
):
    build = selectors.article_page_for

    def build_then_change(article):
        page = build(article)  # read before the change commits
        Article.objects.filter(pk=article.pk).update(dek="Changed during the build.")
        renders.edition_advance()  # what the change's commit sends
        return page

    monkeypatch.setattr(selectors, "article_page_for", build_then_change)
    assert "Changed during the build." not in page_of(client, published)
    monkeypatch.undo()
    assert StoryRender.objects.get().edition < PublicEdition.objects.get().number
    assert '<meta name="description" content="Changed during the build.">' in page_of(
        client, published
    )


def test_a_new_renderer_rebuilds_stored_stories(client, published, settings):
    page_of(client, published)
    settings.SITE_URL = "https://news.example.org"
    canonical = f'<link rel="canonical" href="https://news.example.org{published.get_absolute_url()}">'
    assert canonical in page_of(client, published)


def test_an_old_render_is_rebuilt_even_if_no_change_was_announced(client, published):
    page_of(client, published)
    Article.objects.filter(pk=published.pk).update(dek="Fixed from the shell.")
    assert "Fixed from the shell." not in page_of(client, published)  # the cost
    StoryRender.objects.update(
        built_at=timezone.now() - datetime.timedelta(seconds=601)
    )
    assert "Fixed from the shell." in page_of(client, published)


def test_previews_neither_use_nor_make_stored_stories(client, published, editor):
    page_of(client, published)
    StoryRender.objects.update(story_html="<p>From the store</p>")
    client.force_login(editor)
    preview = client.get(
        reverse("reader:staff_preview", args=[published.pk])
    ).content.decode()
    assert (
        "From the store" not in preview
        and "Preview: this story is not published" in preview
    )
    StoryRender.objects.all().delete()
    client.get(reverse("reader:staff_preview", args=[published.pk]))
    assert not StoryRender.objects.exists()


def test_renaming_a_section_or_a_credited_user_reaches_stored_stories(
    client, published, django_capture_on_commit_callbacks
):
    page_of(client, published)
    section = Section.objects.get(pk=published.section_id)
    section.name = "World news"
    with django_capture_on_commit_callbacks(execute=True):
        section.save()
    assert ">World news</a>" in page_of(client, published)

    reporter = published.bylines.get().user
    reporter.first_name = "Ravindra"
    with django_capture_on_commit_callbacks(execute=True):
        reporter.save()
    assert "Ravindra Reporter" in page_of(client, published)


def test_a_sign_in_does_not_make_stored_stories_stale(
    client, published, django_capture_on_commit_callbacks
):
    page_of(client, published)
    edition = PublicEdition.objects.get().number
    reporter = published.bylines.get().user
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(reporter)  # saves last_login alone
    assert PublicEdition.objects.get().number == edition


def test_a_public_evidence_page_found_gone_is_flagged_to_readers(
    client, published, monkeypatch, django_capture_on_commit_callbacks
):
    assert "no longer available" not in page_of(client, published)
    gone = links.LinkCheck(Evidence.LinkStatus.BROKEN, "HTTP 404")
    monkeypatch.setattr(links, "check_link", lambda url: gone)
    statement = Evidence.objects.filter(claim__article=published, public=True).first()
    with django_capture_on_commit_callbacks(execute=True):
        evidence_link_check(evidence_id=statement.pk)
    page = page_of(client, published)
    assert page.count("(this page is no longer available)") == 1


def test_a_new_verdict_reaches_readers_with_its_correction_whatever_the_link_check(
    client, published, settings, monkeypatch, django_capture_on_commit_callbacks
):
    page_of(client, published)
    settings.EVIDENCE_LINK_CHECKS = True

    def broken_checker(url):
        raise RuntimeError("the checker itself failed")

    monkeypatch.setattr(links, "check_link", broken_checker)
    claim = published.claims.filter(speaker__isnull=False).order_by("start").first()
    with django_capture_on_commit_callbacks(execute=True):
        claim_review(
            claim_id=claim.pk,
            actor=get_user_model().objects.get(username="factchecker"),
            attribution="confirmed",
            veracity="misleading",
            public_explanation="The figure was revised the next day.",
            evidence=[{"title": "Revision", "url": "https://example.org/revision"}],
        )
    # Not in place: a published verdict changes only with a correction.
    assert "The figure was revised the next day." not in page_of(client, published)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.article_transition(
            article_id=published.pk,
            actor=get_user_model().objects.get(username="publisher"),
            name="correct",
            message="We rated this figure accurate; it was revised the next day.",
            claim_ids=(claim.pk,),
        )
    page = page_of(client, published)
    assert "The figure was revised the next day." in page
    assert "We rated this figure accurate" in page


def test_a_tag_rename_or_a_source_note_reaches_stored_stories(
    client, published, django_capture_on_commit_callbacks
):
    tag = Tag.objects.create(name="Missiles", slug="missiles")
    published.tags.add(tag)
    page_of(client, published)
    tag.name = "Missile tests"
    with django_capture_on_commit_callbacks(execute=True):
        tag.save()
    assert ">Missile tests</a>" in page_of(client, published)

    source = Source.objects.get(name__startswith="Korean Central News Agency")
    source.reader_note = "North Korea's state news agency; we cannot verify it."
    with django_capture_on_commit_callbacks(execute=True):
        source_save(source=source)
    assert "we cannot verify it." in page_of(client, published)

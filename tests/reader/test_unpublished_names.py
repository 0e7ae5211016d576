"""Sources, sections and tags are public only with public stories (#12.4):
before publication their names tell whom the newsroom is talking to."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from articles.content import ArticleContent
from articles.models import Tag
from desk.services import article_save
from factcheck.models import Source
from tests.reader.conftest import publish_reviewed

pytestmark = pytest.mark.django_db


@pytest.fixture
def tagged_demo(demo, django_capture_on_commit_callbacks):
    """The demo story, not yet public, with a tag of its own."""
    tag = Tag.objects.create(name="Hwasong-20 secret tests", slug="hwasong-20")
    content = ArticleContent.of_revision(demo.current_revision)
    with django_capture_on_commit_callbacks(execute=True):
        article_save(
            article=demo,
            actor=get_user_model().objects.get(username="admin"),
            content=ArticleContent(**{**content.as_dict(), "tag_ids": (tag.pk,)}),
            base_revision_id=demo.current_revision_id,
        )
    demo.refresh_from_db()
    return demo, tag


def _pages(article, tag):
    speaker = (
        Source.objects.filter(claims__article=article, name__contains="KCNA")
        .distinct()
        .get()
    )
    section = article.section
    return speaker, {
        reverse("reader:source", kwargs={"pk": speaker.pk}): speaker.name,
        f"/api/v1/sources/{speaker.pk}/": speaker.name,
        reverse("reader:section", kwargs={"slug": section.slug}): section.name,
        reverse("reader:section_feed", kwargs={"slug": section.slug}): section.name,
        reverse("reader:tag", kwargs={"slug": tag.slug}): tag.name,
    }


def test_nothing_of_an_unpublished_story_is_public(client, tagged_demo):
    article, tag = tagged_demo
    speaker, pages = _pages(article, tag)
    for url, name in pages.items():
        response = client.get(url)
        assert response.status_code == 404, url
        assert name not in response.content.decode(), url
    unused = Source.objects.filter(claims__isnull=True, confirmed=True).first()
    assert client.get(f"/sources/{unused.pk}/").status_code == 404
    listings = [
        client.get("/sitemap.xml").content.decode(),
        client.get("/api/v1/sections/").content.decode(),
        client.get("/api/v1/tags/").content.decode(),
        client.get("/api/v1/sources/").content.decode(),
    ]
    for listing in listings:
        for name in (speaker.name, article.section.name, tag.name, tag.slug):
            assert name not in listing
    assert f"/{article.section.slug}/" not in listings[0]


def test_publication_makes_them_public(client, tagged_demo):
    article, tag = tagged_demo
    publish_reviewed(article)
    _speaker, pages = _pages(article, tag)
    for url, name in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert name in response.content.decode(), url
    assert f"/{article.section.slug}/" in client.get("/sitemap.xml").content.decode()

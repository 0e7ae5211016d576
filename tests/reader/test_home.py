import datetime

import pytest
from django.utils import timezone

from articles.models import Article, Section
from tests.factories import SectionFactory

pytestmark = pytest.mark.django_db


def _story(section, n, reporter, status=Article.Status.PUBLISHED):
    return Article.objects.create(
        headline=f"{section.name} story {n}",
        slug=f"{section.slug}-{n}",
        section=section,
        created_by=reporter,
        status=status,
        published_at=timezone.now() - datetime.timedelta(hours=n),
    )


def test_home_shows_the_latest_five_then_the_latest_of_every_section(
    client, reporter, django_assert_num_queries
):
    busy = SectionFactory(name="Busy", slug="busy", position=0)
    quiet = SectionFactory(name="Quiet", slug="quiet", position=1)
    for n in range(30):
        _story(busy, n, reporter)
    _story(quiet, 99, reporter)  # older than all 30 of the busy section
    _story(busy, 100, reporter, status=Article.Status.DRAFT)
    with django_assert_num_queries(2):
        page = client.get("/").context["page"]
    assert [a.slug for a in page.top] == [f"busy-{n}" for n in range(5)]
    sections = {
        section.name: [a.slug for a in stories] for section, stories in page.by_section
    }
    assert sections == {
        "Busy": [f"busy-{n}" for n in range(5, 9)],
        "Quiet": ["quiet-99"],
    }
    assert Section.objects.count() == 2


def test_the_front_page_leads_with_the_newest_story(client, reporter):
    world = SectionFactory(name="World", slug="world")
    for n in range(3):
        _story(world, n, reporter)
    page = client.get("/").content.decode()
    top = page.split('<article class="top-story"')[1].split("</article>")[0]
    assert '<h2 id="top-story-headline">' in top and "World story 0" in top
    latest = page.split('id="top-heading">Latest</h2>')[1]
    assert "World story 0" not in latest.split("</section>")[0]
    assert "World story 1" in latest and "World story 2" in latest


def test_a_section_leads_with_its_newest_story_on_its_first_page_only(
    client, reporter, django_assert_num_queries
):
    world = SectionFactory(name="World", slug="world")
    for n in range(25):
        _story(world, n, reporter)
    with django_assert_num_queries(3):  # the section, the count, the stories
        first = client.get("/world/").content.decode()
    assert "World story 0" in first.split('<article class="top-story"')[1]
    assert first.count('class="story-card"') == 19
    second = client.get("/world/?page=2").content.decode()
    assert 'class="top-story"' not in second
    assert second.count('class="story-card"') == 5

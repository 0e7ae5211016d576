"""Pictures as readers get them: the demo story's lead map and the time line
in its body, in the page, its head tags, JSON-LD, lists and feeds; the
query count whatever the number of pictures; the publish gate and rights."""

import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from desk import workflow
from desk.exceptions import ApprovalBlocked
from pictures.models import Picture
from pictures.services import picture_update
from tests.pictures.conftest import make_picture
from tests.reader.conftest import publish_reviewed

pytestmark = pytest.mark.django_db


def get_page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_lead_picture_shows_with_caption_credit_and_no_layout_shift(
    client, published
):
    page = get_page(client, published.get_absolute_url())
    lead = published.lead_image
    figure = re.search(r'<figure class="lead-figure">(.*?)</figure>', page, re.S)[1]
    assert '<source type="image/webp" srcset="/media/pictures/renditions/' in figure
    img = re.search(r"<img [^>]+>", figure)[0]
    # Width and height give the box its shape before the file arrives.
    assert 'width="1600" height="1000"' in img
    assert 'sizes="(min-width: 50rem) 48rem, 100vw"' in img
    assert 'fetchpriority="high"' in img and "loading=" not in img
    assert f'alt="{lead.alt_text}"' in img.replace("&#x27;", "'")
    served = client.get(re.search(r'src="([^"]+)"', img)[1])  # SERVE_MEDIA
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert "North Korea&#x27;s missiles flew about 900 kilometers" in figure
    assert '<span class="credit">Newsroom graphics</span>' in figure


def test_a_picture_in_the_body_shows_with_its_caption_checked_as_a_claim(
    client, published
):
    page = get_page(client, published.get_absolute_url())
    figure = re.search(
        r'<figure class="inline-figure" id="p(\d+)">(.*?)</figure>', page, re.S
    )
    assert 'loading="lazy"' in figure[2]
    caption = published.claims.get(cue="caption")
    number = list(published.claims.order_by("start")).index(caption) + 1
    # The marker of the caption's claim sits in the caption, the claim in
    # "How we know this" with the picture's credit as its source.
    assert f'href="#claim-{number}"' in figure[2]
    entry = re.search(
        rf'<li id="claim-{number}" class="claim-entry">(.*?)</li>', page, re.S
    )[1]
    assert caption.text in entry and "Newsroom graphics" in entry
    assert "Document" in entry
    assert "picture:" not in page  # no markup leaks


def test_json_ld_open_graph_and_the_feed_carry_the_lead_picture(
    client, published, settings
):
    page = get_page(client, published.get_absolute_url())
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1]
    )
    (image,) = data["@graph"][0]["image"]
    assert image["@type"] == "ImageObject"
    assert image["url"].startswith(f"{settings.SITE_URL}/media/pictures/renditions/")
    assert (image["width"], image["height"]) == (1200, 630)
    assert image["creditText"] == "Newsroom graphics"
    assert image["caption"] == published.lead_image.caption
    assert f'<meta property="og:image" content="{image["url"]}">' in page
    assert '<meta property="og:image:width" content="1200">' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page

    feed = get_page(client, reverse("reader:feed"))
    enclosure = re.search(r'<link [^>]*rel="enclosure"[^>]*>', feed)[0]
    assert f'href="{image["url"]}"' in enclosure and 'type="image/jpeg"' in enclosure


def test_home_and_section_lists_show_the_lead_picture_cropped(client, published):
    section = reverse("reader:section", args=[published.section.slug])
    for url in (reverse("reader:home"), section):
        page = get_page(client, url)
        figure = re.search(r'<figure class="list-figure">(.*?)</figure>', page, re.S)[1]
        assert "/3x2-720.jpg" in figure and 'width="720" height="480"' in figure
        assert 'loading="lazy"' in figure


def test_the_story_is_built_in_the_same_queries_for_1_and_5_pictures(
    client, published, settings, admin_user
):
    settings.STORY_RENDER_MAX_AGE = 0  # every request builds the story live
    url = published.get_absolute_url()
    Article.objects.filter(pk=published.pk).update(lead_image=None)  # 1: the time line

    def count() -> int:
        client.get(url)  # renditions of new pictures are made on first view
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    one = count()
    extra = [make_picture(admin_user, caption=f"Picture {n}") for n in range(3)]
    body = published.body + "".join(f"\n\n{p.markdown}" for p in extra)
    Article.objects.filter(pk=published.pk).update(
        body=body, lead_image=Picture.objects.get(pk=published.lead_image_id)
    )
    five = count()
    assert one == five <= 10
    assert get_page(client, url).count("<picture>") == 5


def test_a_story_whose_picture_rights_ended_cannot_be_published(
    client, demo, django_capture_on_commit_callbacks
):
    lead = demo.lead_image
    Picture.objects.filter(pk=lead.pk).update(
        rights_expire_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    with pytest.raises(ApprovalBlocked, match="usage rights of the picture"):
        publish_reviewed(demo)
    demo.refresh_from_db()
    assert demo.status == Article.Status.APPROVED
    client.force_login(demo.created_by.__class__.objects.get(username="publisher"))
    page = get_page(client, reverse("desk:story", args=[demo.pk]))
    assert "Cannot be published: the usage rights of the picture" in page
    response = client.post(reverse("desk:story_transition", args=[demo.pk, "publish"]))
    demo.refresh_from_db()
    assert demo.status == Article.Status.APPROVED and response.status_code in (302, 409)
    # Rights renewed: it goes out.
    Picture.objects.filter(pk=lead.pk).update(rights_expire_on=None)
    workflow.article_transition(
        article_id=demo.pk,
        actor=demo.created_by.__class__.objects.get(username="publisher"),
        name="publish",
    )
    assert Article.objects.get(pk=demo.pk).status == Article.Status.PUBLISHED


def test_editing_a_shown_picture_rebuilds_the_story_page(
    client, published, admin_user, django_capture_on_commit_callbacks
):
    url = published.get_absolute_url()
    assert "about 900 kilometers" in get_page(client, url)  # stored now
    with django_capture_on_commit_callbacks(execute=True):
        picture_update(
            picture_id=published.lead_image_id,
            actor=admin_user,
            caption="The missiles flew about 900 km, the military said.",
        )
    page = get_page(client, url)
    assert "The missiles flew about 900 km, the military said." in page


def test_the_home_page_runs_the_same_queries_for_1_and_6_lead_pictures(
    client, published, admin_user, django_assert_num_queries
):
    client.get("/")  # renditions made on first view
    # The top stories, their renditions, the section lists (empty: no more).
    with django_assert_num_queries(3):
        assert get_page(client, "/").count("<picture>") == 1
    for n in range(5):
        Article.objects.create(
            headline=f"Story {n}",
            slug=f"story-{n}",
            section=published.section,
            created_by=admin_user,
            status=Article.Status.PUBLISHED,
            published_at=timezone.now(),
            lead_image=make_picture(admin_user, caption=f"Picture {n}"),
        )
    client.get("/")
    # Both lists now hold stories with pictures: one query more each, no more.
    with django_assert_num_queries(4):
        assert get_page(client, "/").count("<picture>") == 6

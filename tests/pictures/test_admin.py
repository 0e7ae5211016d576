"""The library in the admin: the chooser (search with thumbnails), the lead
picture on the story form, rights flagged."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from desk.services import article_start
from tests.factories import article_content
from tests.html_forms import form_data
from tests.pictures.conftest import make_picture
from tests.pictures.images import jpeg

pytestmark = pytest.mark.django_db

CHOOSER = reverse("admin:pictures_picture_changelist")


@pytest.fixture
def library(admin_user):
    return {
        "launch": make_picture(
            admin_user, caption="Missile launch seen from Seoul", agency="Yonhap"
        ),
        "summit": make_picture(
            admin_user,
            caption="Leaders meet in Beijing",
            alt_text="Two leaders shake hands.",
            agency="",
            photographer="Mark Schiefelbein",
            tags="summit, diplomacy",
        ),
    }


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("launch", ["launch"]),  # caption
        ("Yonhap", ["launch"]),  # agency
        ("Schiefelbein", ["summit"]),  # photographer
        ("diplomacy", ["summit"]),  # tag
        ("volcano", []),
    ],
)
def test_the_chooser_searches_caption_credit_and_tags_with_thumbnails(
    admin_client, library, query, found
):
    response = admin_client.get(CHOOSER, {"q": query, "_to_field": "id", "_popup": "1"})
    assert response.status_code == 200
    shown = [p.pk for p in response.context["cl"].result_list]
    assert shown == [library[name].pk for name in found]
    page = response.content.decode()
    assert page.count('<img src="/media/pictures/renditions/') == len(found)
    for name in found:
        assert library[name].markdown.replace('"', "&quot;") in page


def test_the_chooser_list_runs_the_same_queries_for_2_and_12_pictures(
    admin_client, admin_user, library
):
    def count():
        admin_client.get(CHOOSER)  # renditions made on first show
        with CaptureQueriesContext(connection) as queries:
            admin_client.get(CHOOSER)
        return len(queries)

    two = count()
    for n in range(10):
        make_picture(admin_user, data=jpeg((300, 200)), caption=f"Picture {n}")
    assert count() == two


def test_the_story_form_chooses_a_lead_picture_kept_in_the_revision(
    admin_client, admin_user, library
):
    article = article_start(actor=admin_user, content=article_content())
    url = reverse("admin:articles_article_change", args=[article.pk])
    page = admin_client.get(url).content.decode()
    assert f'href="{CHOOSER}?_to_field=id"' in page  # the chooser's lookup link
    data = form_data(page, "article_form")
    data["lead_image"] = [str(library["launch"].pk)]
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get()
    assert article.lead_image == library["launch"]
    assert article.current_revision.lead_image == library["launch"]


def test_pictures_whose_rights_ended_are_flagged_in_the_library(
    admin_client, admin_user
):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    ended = make_picture(
        admin_user, caption="Old agency photo", rights_expire_on=yesterday
    )
    make_picture(admin_user, caption="Our own photo")
    response = admin_client.get(CHOOSER, {"rights": "expired"})
    assert [p.pk for p in response.context["cl"].result_list] == [ended.pk]
    assert "not for new publications" in response.content.decode()

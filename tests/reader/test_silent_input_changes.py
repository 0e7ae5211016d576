"""Issue #12, item 12: input is kept as typed, and a story has one address.

The Markdown body's leading whitespace is part of its meaning (an indented
code block, a nested list), so no form strips it. An article's address has
one spelling of its date: other spellings (Arabic-Indic digits, ``1_1``,
``+11``, missing or extra zeros) are 404s, not duplicate pages and cache keys.
"""

import pytest
from django.urls import reverse

from desk.services import article_start
from tests.factories import article_content
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db

BODY = "    indented code block\n\n  - a list item indented twice\n\nText.  \n"


@pytest.fixture
def article(reporter):
    return article_start(actor=reporter, content=article_content(body="First words."))


@pytest.mark.parametrize(
    "url_name, form_id",
    [("admin:articles_article_change", "article_form"), ("desk:story_edit", None)],
)
def test_the_body_keeps_its_leading_and_trailing_whitespace(
    client, editor, article, url_name, form_id
):
    client.force_login(editor)
    url = reverse(url_name, args=[article.pk])
    data = form_data(client.get(url).content.decode(), form_id)
    data["body"] = [BODY]
    assert client.post(url, data).status_code == 302
    article.refresh_from_db()
    assert article.body == BODY
    assert article.current_revision.body == BODY
    # And it comes back in the form as it was typed.
    again = form_data(client.get(url).content.decode(), form_id)
    assert again["body"] == [BODY]


def _address(story, year, month, day):
    return f"/{story.section.slug}/{year}/{month}/{day}/{story.slug}/"


def test_a_story_has_one_address_and_odd_spellings_of_its_date_are_404(
    client, published
):
    day = published.story_date
    canonical = published.get_absolute_url()
    assert canonical == _address(
        published, day.year, f"{day.month:02d}", f"{day.day:02d}"
    )
    assert client.get(canonical).status_code == 200
    arabic = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
    odd = [
        (day.year, day.month, day.day),  # no leading zero
        (day.year, f"{day.month:02d}".translate(arabic), f"{day.day:02d}"),
        (day.year, f"{day.month:02d}", f"{day.day:02d}".translate(arabic)),
        (str(day.year).translate(arabic), f"{day.month:02d}", f"{day.day:02d}"),
        (day.year, f"0_{day.month}", f"{day.day:02d}"),
        (day.year, f"+{day.month}", f"{day.day:02d}"),
        (day.year, f"{day.month:03d}", f"{day.day:02d}"),
        (f"0{day.year}", f"{day.month:02d}", f"{day.day:02d}"),
        (day.year, f" {day.month}", f"{day.day:02d}"),
    ]
    for year, month, day_ in odd:
        url = _address(published, year, month, day_)
        assert client.get(url).status_code == 404, url

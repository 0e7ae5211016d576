"""A photograph is a claim: its caption in the body is proposed as a claim
whose source is the picture's credit, and is checked like any sentence."""

import pytest

from articles.content import ArticleContent
from desk.services import article_save, article_start
from factcheck.models import Claim, Source
from factcheck.services import claims_propose
from tests.factories import SourceFactory, article_content
from tests.pictures.conftest import make_picture

pytestmark = pytest.mark.django_db

TEXT = "The military said it detected a launch."


@pytest.fixture
def yonhap(db):
    return SourceFactory(
        name="Yonhap News Agency", kind=Source.Kind.NEWS_AGENCY, aliases="Yonhap"
    )


def story(reporter, body, capture):
    with capture(execute=True):
        return article_start(actor=reporter, content=article_content(body=body))


def test_a_caption_is_proposed_as_a_claim_of_the_pictures_agency(
    reporter, admin_user, yonhap, django_capture_on_commit_callbacks
):
    picture = make_picture(admin_user, agency="Yonhap", photographer="Kim Do-hoon")
    caption = "Soldiers in Seoul watch a news report of the launch."
    body = f'{TEXT}\n\n![A crowd](picture:{picture.pk} "{caption}")'
    article = story(reporter, body, django_capture_on_commit_callbacks)
    claims = list(article.claims.order_by("start"))
    assert [c.text for c in claims] == [TEXT, caption]  # nothing of the markup
    claim = claims[1]
    assert article.body[claim.start : claim.end] == caption
    assert (claim.kind, claim.speaker, claim.speaker_text) == (
        Claim.Kind.DOCUMENT,
        yonhap,  # the registry's entry for the agency
        "Yonhap",
    )
    assert claim.origin == Claim.Origin.PROPOSED and claim.paragraph == 1
    assert claims_propose(article_id=article.pk) == {"created": 0, "updated": 0}


def test_an_unknown_photographer_becomes_an_unconfirmed_source(
    reporter, admin_user, django_capture_on_commit_callbacks
):
    picture = make_picture(admin_user, agency="", photographer="Lee Jin-man")
    body = f'{TEXT}\n\n![](picture:{picture.pk} "A ship at the harbour.")'
    article = story(reporter, body, django_capture_on_commit_callbacks)
    claim = article.claims.get(cue="caption")
    assert claim.speaker.name == "Lee Jin-man" and not claim.speaker.confirmed
    assert claim.speaker.kind == Source.Kind.PERSON


def test_editing_the_caption_reopens_its_claim_like_any_sentence(
    reporter, editor, admin_user, yonhap, django_capture_on_commit_callbacks
):
    picture = make_picture(admin_user, agency="Yonhap")
    body = f'{TEXT}\n\n![](picture:{picture.pk} "Troops on the border.")'
    article = story(reporter, body, django_capture_on_commit_callbacks)
    claim = article.claims.get(cue="caption")
    Claim.objects.filter(pk=claim.pk).update(review=Claim.Review.REVIEWED)
    content = ArticleContent(
        **{
            **ArticleContent.of_revision(article.current_revision).as_dict(),
            "body": body.replace("Troops on", "Troops near"),
        }
    )
    with django_capture_on_commit_callbacks(execute=True):
        article_save(
            article=article,
            actor=editor,
            content=content,
            base_revision_id=article.current_revision_id,
        )
    claim.refresh_from_db()
    assert claim.text == "Troops near the border."
    assert claim.review == Claim.Review.REOPENED

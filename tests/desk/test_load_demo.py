import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from articles.models import Article, ArticleRevision, Section
from desk.demo_loader import DEMO_PASSWORD
from factcheck.models import Claim, Source
from pictures.models import Picture

pytestmark = pytest.mark.django_db(transaction=True)


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            get_user_model(),
            Section,
            Source,
            Article,
            ArticleRevision,
            Claim,
            Picture,
        )
    }


def test_load_demo_creates_the_demo_newsroom_once(settings, capsys):
    settings.DEBUG = True
    call_command("load_demo")
    first = _counts()
    call_command("load_demo")
    assert _counts() == first
    output = capsys.readouterr().out
    assert "newsroom-demo" in output and "factchecker" in output

    users = get_user_model().objects
    for username in ("admin", "editor", "reporter", "factchecker", "publisher"):
        assert users.get(username=username).check_password(DEMO_PASSWORD)
    assert users.get(username="editor").groups.filter(name="editor").exists()
    assert users.get(username="admin").is_superuser

    article = Article.objects.get()
    assert article.headline.startswith("North Korea launches ballistic missiles")
    assert (
        article.section.name == "World News"
        and article.story_date.isoformat() == "2026-01-04"
    )
    assert article.body.startswith(
        "South Korea’s Joint Chiefs of Staff said in a statement"
    )
    assert article.status == Article.Status.SUBMITTED
    # Proposed in the background (in-process here): 26 sentences and the
    # caption of the time line in the body, credited to its maker.
    assert article.claims.count() == 27
    caption = article.claims.get(cue="caption")
    assert caption.speaker.name == "Newsroom graphics"
    assert caption.text.startswith("North Korea released photos of a submarine")
    # The demo's pictures: drawn at load time, small, the map leads the story.
    assert Picture.objects.count() == 2
    assert article.lead_image.caption.startswith("North Korea's missiles flew")
    assert article.body.endswith(
        f'(picture:{caption_picture(article)} "{caption.text}")'
    )
    for picture in Picture.objects.all():
        assert picture.file.size < 200_000 and picture.width == 1600
        assert (
            picture.agency == "Newsroom graphics" and picture.rights_expire_on is None
        )
    assert Source.objects.filter(name="Korean Central News Agency (KCNA)").exists()


def caption_picture(article) -> int:
    return Picture.objects.exclude(pk=article.lead_image_id).get().pk


def test_load_demo_refuses_to_run_in_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("load_demo")
    assert not get_user_model().objects.exists()

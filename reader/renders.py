"""The article page's own part, built once from public data and stored.

Building a story (its claims with their sources and evidence, the body with
claim markers, the JSON-LD) takes seven queries and most of a request's time.
Readers ask for the same story thousands of times between two changes, so the
built head tags and story are stored (``StoryRender``) and served from the
page's single query. A stored render is served only while all of these hold:

- The public edition it was built from stands. Every change readers can see
  moves the edition on (``articles.signals.public_content_changed``). The
  edition is read in the article's query, before anything the story is built
  from, so a render that might hold data older than a change carries an
  edition the change has moved past, and is never served.
- It was built by the same renderer: a deploy that changes the story's
  templates, the modules listed in ``_code_fingerprint``, the Markdown
  libraries or the settings they print makes every render stale by itself.
- It is younger than ``STORY_RENDER_MAX_AGE`` seconds: the net for a write that
  bypassed the services (a shell fix, a data migration). 0 turns storing off.

Otherwise the story is built live, served, and stored for the next reader.
"""

import datetime
import functools
import hashlib
import inspect
import sys
from dataclasses import dataclass
from importlib import metadata

from django.conf import settings
from django.db.models import F
from django.template.loader import get_template, render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from articles import models as article_models
from articles import rendering
from articles.models import Article
from factcheck import models as factcheck_models
from reader import selectors, structured_data
from reader.models import PublicEdition, StoryRender

HEAD_TEMPLATE = "reader/_article_head.html"
STORY_TEMPLATE = "reader/_article_story.html"
_TEMPLATES = (
    HEAD_TEMPLATE,
    STORY_TEMPLATE,
    "reader/_claim_entry.html",
    "reader/_source_line.html",
)
_STORED_FIELDS = ["edition", "renderer", "head_html", "story_html", "built_at"]


@dataclass(frozen=True)
class Story:
    headline: str
    head_html: SafeString
    story_html: SafeString


def _said_by(claim: selectors.PublicClaim) -> str:
    if claim.speaker is None:
        return "Our reporting"
    if claim.channel is None:
        return claim.speaker.name
    return f"{claim.speaker.name}, via {claim.channel.name}"


def _marker(claim: selectors.PublicClaim) -> str:
    """The attribution at the end of a checked sentence: a small ring (a label
    for state media) linking to its entry, and who said it on hover and focus."""
    label = (
        mark_safe('<span class="claim-label">state media</span>')
        if claim.state_media
        else ""
    )
    return format_html(
        '<span class="claim-marker"><a href="#claim-{0}" id="claim-ref-{0}"'
        ' class="{1}">{2}<span class="claim-tip">'
        '<span class="visually-hidden">Source: </span>{3}'
        '<span class="tip-verdict"><span class="visually-hidden">. Rated </span>'
        "{4}</span></span></a></span>",
        claim.number,
        "state-media" if claim.state_media else "checked",
        label,
        _said_by(claim),
        claim.veracity_label,
    )


def build_story(page: selectors.ArticlePage, *, preview: bool) -> Story:
    """Render the page's own part live; previews say so and carry no JSON-LD."""
    article = page.article
    url = settings.SITE_URL + article.get_absolute_url()
    claims = {claim.number: claim for claim in page.claims}
    markers = {claim.end: claim.number for claim in page.claims}
    context = {
        "page": page,
        "article": article,
        "preview": preview,
        "canonical_url": url,
        "body_html": rendering.render_body(
            article.body, markers, lambda number: _marker(claims[number])
        ),
        "json_ld": structured_data.article_json_ld(page, article_url=url),
    }
    return Story(
        headline=article.headline,
        head_html=mark_safe(render_to_string(HEAD_TEMPLATE, context)),
        story_html=mark_safe(render_to_string(STORY_TEMPLATE, context)),
    )


def _code_fingerprint() -> str:
    # The modules that decide what a story shows: its templates, the read model
    # and the rules it applies (names readers may see, labels, addresses), the
    # body and JSON-LD rendering, and the libraries that turn Markdown to HTML.
    # The URLconf is imported here, not at start-up: this module loads with the
    # app (its receiver), in Celery workers too, which need no views.
    from reader import urls as reader_urls

    modules = (
        rendering,
        selectors,
        structured_data,
        sys.modules[__name__],
        article_models,
        factcheck_models,
        reader_urls,
    )
    sources = [get_template(name).template.source for name in _TEMPLATES]
    sources += [inspect.getsource(module) for module in modules]
    sources += [metadata.version(package) for package in ("markdown-it-py", "nh3")]
    return hashlib.sha256("\0".join(sources).encode()).hexdigest()


# Computed once per process, but on every request in development: runserver
# reloads on Python changes but not on template edits.
_cached_code_fingerprint = functools.cache(_code_fingerprint)


def renderer() -> str:
    """Fingerprint of everything that shapes a render besides the data."""
    code = _code_fingerprint() if settings.DEBUG else _cached_code_fingerprint()
    printed = (settings.SITE_URL, settings.NEWSROOM_NAME, settings.TIME_ZONE)
    return hashlib.sha256("\0".join((code, *printed)).encode()).hexdigest()


def stored_story(*, section: str, day: datetime.date, slug: str) -> Story | None:
    """The story at this address from its stored render, if that is current."""
    if settings.STORY_RENDER_MAX_AGE <= 0:
        return None
    max_age = datetime.timedelta(seconds=settings.STORY_RENDER_MAX_AGE)
    current = selectors.current_story_render(
        section=section,
        day=day,
        slug=slug,
        renderer=renderer(),
        built_after=timezone.now() - max_age,
    )
    if current is None:
        return None
    headline, head_html, story_html = current
    return Story(headline, mark_safe(head_html), mark_safe(story_html))


def public_story(article: Article) -> Story:
    """Build the story of ``article`` (from ``selectors.public_article``, which
    read the edition) and store it for the next reader, unless storing is off."""
    story = build_story(selectors.article_page_for(article), preview=False)
    if settings.STORY_RENDER_MAX_AGE > 0:
        # An upsert: readers who built the same story at once all write it.
        StoryRender.objects.bulk_create(
            [
                StoryRender(
                    article=article,
                    edition=article.public_edition,
                    renderer=renderer(),
                    head_html=story.head_html,
                    story_html=story.story_html,
                    built_at=timezone.now(),
                )
            ],
            update_conflicts=True,
            unique_fields=["article"],
            update_fields=_STORED_FIELDS,
        )
    return story


def edition_advance(**kwargs) -> None:
    """Receiver of ``public_content_changed``: every stored render goes stale."""
    if not PublicEdition.objects.filter(pk=1).update(number=F("number") + 1):
        PublicEdition.objects.get_or_create(pk=1, defaults={"number": 1})

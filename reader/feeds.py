"""Atom feeds: the whole site and each section.

XML 1.0 cannot carry control characters, and Django's feed writer raises on
them: a headline holding one (stored by any path) would answer 500 for every
reader of the feed. ``CleanAtom1Feed`` strips them from every text it is given.
"""

from django.contrib.syndication.views import Feed
from django.db.models import Max
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure

from articles.models import Article
from newsroom.hygiene import strip_control_characters
from pictures.selectors import renditions_prefetch
from pictures.services import picture_social
from reader.selectors import public_articles, public_sections

FEED_SIZE = 30


def _clean(value):
    return strip_control_characters(value) if isinstance(value, str) else value


class CleanAtom1Feed(Atom1Feed):
    """Atom without the control characters XML 1.0 cannot hold."""

    def __init__(self, *args, **kwargs):
        super().__init__(
            *map(_clean, args), **{k: _clean(v) for k, v in kwargs.items()}
        )

    def add_item(self, *args, categories=(), **kwargs):
        super().add_item(
            *map(_clean, args),
            categories=[_clean(c) for c in categories or ()],
            **{k: _clean(v) for k, v in kwargs.items()},
        )


class LatestStoriesFeed(Feed):
    feed_type = CleanAtom1Feed
    title = "Newsroom: latest stories"
    subtitle = "Every fact tied to its source, checked claim by claim."

    def link(self):
        return reverse("reader:home")

    def items(self):
        return feed_stories().order_by("-published_at", "-pk")[:FEED_SIZE]

    def item_title(self, item):
        if item.status == Article.Status.RETRACTED:
            return f"Retracted: {item.headline}"
        return item.headline

    def item_description(self, item):
        return item.dek

    def item_enclosures(self, item):
        """The lead picture, as its link-preview JPEG."""
        if item.lead_image is None:
            return []
        image = picture_social(item.lead_image)
        return [Enclosure(image.url, str(image.size), "image/jpeg")]

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        """A correction or a retraction updates the entry, so readers see it."""
        return max(filter(None, (item.published_at, item.last_correction_at)))


class SectionFeed(LatestStoriesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(public_sections(), slug=slug)

    def title(self, section):
        return f"Newsroom: {section.name}"

    def link(self, section):
        return reverse("reader:section", kwargs={"slug": section.slug})

    def items(self, section):
        stories = feed_stories().filter(section=section)
        return stories.order_by("-published_at", "-pk")[:FEED_SIZE]


def feed_stories():
    return (
        public_articles()
        .select_related("lead_image")
        .prefetch_related(renditions_prefetch("lead_image__renditions", "social"))
        .annotate(last_correction_at=Max("corrections__created_at"))
    )

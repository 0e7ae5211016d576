"""Atom feeds: the whole site and each section."""

from django.contrib.syndication.views import Feed
from django.db.models import Max
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from articles.models import Article
from reader.selectors import public_articles, public_sections

FEED_SIZE = 30


class LatestStoriesFeed(Feed):
    feed_type = Atom1Feed
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
    return public_articles().annotate(last_correction_at=Max("corrections__created_at"))

"""Atom feeds: the whole site and each section."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from articles.models import Section
from reader.selectors import public_articles

FEED_SIZE = 30


class LatestStoriesFeed(Feed):
    feed_type = Atom1Feed
    title = "Newsroom: latest stories"
    subtitle = "Every fact tied to its source, checked claim by claim."

    def link(self):
        return reverse("reader:home")

    def items(self):
        return public_articles().order_by("-published_at", "-pk")[:FEED_SIZE]

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        return item.dek

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.published_at


class SectionFeed(LatestStoriesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)

    def title(self, section):
        return f"Newsroom: {section.name}"

    def link(self, section):
        return reverse("reader:section", kwargs={"slug": section.slug})

    def items(self, section):
        stories = public_articles().filter(section=section)
        return stories.order_by("-published_at", "-pk")[:FEED_SIZE]

"""Sitemaps: stories, sections with public stories and fixed pages; plus a
Google News sitemap."""

import datetime

from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils import timezone

from reader.selectors import public_articles, public_sections

NEWS_WINDOW = datetime.timedelta(days=2)


class ArticleSitemap(Sitemap):
    changefreq = "daily"
    limit = 5000

    def items(self):
        return public_articles().order_by("-published_at", "-pk")

    def lastmod(self, item):
        return item.published_at


class SectionSitemap(Sitemap):
    changefreq = "hourly"

    def items(self):
        return public_sections()

    def location(self, item):
        return reverse("reader:section", kwargs={"slug": item.slug})


class PageSitemap(Sitemap):
    def items(self):
        return ["reader:home", "reader:corrections", "reader:methodology"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {"stories": ArticleSitemap, "sections": SectionSitemap, "pages": PageSitemap}


def news_sitemap_items():
    """Stories published in the last two days, as Google News wants them."""
    since = timezone.now() - NEWS_WINDOW
    return (
        public_articles()
        .filter(first_published_at__gte=since)
        .order_by("-first_published_at")
    )

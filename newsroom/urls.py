"""Root URLs. Public reader pages are mounted last: they own ``/``."""

import re

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.static import serve

from api import site as api_site
from newsroom.health import healthz
from reader import views as reader_views
from reader.caching import cached_public_page
from reader.sitemaps import SITEMAPS

handler500 = "newsroom.middleware.server_error"


def favicon(request):
    # Browsers and crawlers ask for /favicon.ico whatever the pages declare;
    # resolved per request, as hashed static names exist only after collectstatic.
    return HttpResponsePermanentRedirect(static("favicon.svg"))


def serve_media(request, path):
    # MEDIA_ROOT read per request: tests give each test its own directory.
    return serve(request, path, document_root=settings.MEDIA_ROOT)


def media_urls():
    """Uploaded pictures, served by Django with ``SERVE_MEDIA`` (the demo,
    tests); in production the web server or the storage bucket serves them."""
    if not settings.SERVE_MEDIA or "://" in settings.MEDIA_URL:
        return []
    prefix = re.escape(settings.MEDIA_URL.lstrip("/"))
    return [re_path(rf"^{prefix}(?P<path>.*)$", serve_media)]


admin.site.site_header = f"{settings.NEWSROOM_NAME} editorial desk"
admin.site.site_title = settings.NEWSROOM_NAME
admin.site.index_title = "Stories, sources and claims"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("desk/feeds/", include("ingest.urls")),
    path("desk/", include("desk.urls")),
    path("api/v1/", api_site.urls()),
    path("robots.txt", reader_views.robots_txt, name="robots"),
    path("favicon.ico", favicon, name="favicon"),
    path(
        "sitemap.xml",
        cached_public_page(sitemap, query=("p",)),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    path("news-sitemap.xml", reader_views.news_sitemap, name="news-sitemap"),
    *media_urls(),
    path("", include("reader.urls")),
]

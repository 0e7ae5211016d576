from django.urls import path, register_converter

from reader import feeds, views

app_name = "reader"


class _Digits:
    """Exactly ``width`` ASCII digits: one spelling of each story date, so no
    ``1``, ``+1``, ``0_1`` or Arabic-Indic twin of an address (``int()`` takes
    them all) makes a duplicate page and cache entry."""

    width = 2

    def __init__(self):
        self.regex = f"[0-9]{{{self.width}}}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return f"{int(value):0{self.width}d}"


class _Year(_Digits):
    width = 4


register_converter(_Year, "yyyy")
register_converter(_Digits, "dd")

urlpatterns = [
    path("", views.home, name="home"),
    path("feeds/latest/", feeds.LatestStoriesFeed(), name="feed"),
    path("feeds/<slug:slug>/", feeds.SectionFeed(), name="section_feed"),
    path("corrections/", views.corrections, name="corrections"),
    path("methodology/", views.methodology, name="methodology"),
    path("search/", views.search, name="search"),
    path("sources/<int:pk>/", views.source_detail, name="source"),
    path("tags/<slug:slug>/", views.tag, name="tag"),
    path("preview/<str:token>/", views.preview, name="preview"),
    path("stories/<int:pk>/preview/", views.staff_preview, name="staff_preview"),
    path("stories/<int:pk>/report/", views.report_error, name="report_error"),
    path("stories/<int:pk>/report/thanks/", views.report_thanks, name="report_thanks"),
    path(
        "<slug:section>/<yyyy:year>/<dd:month>/<dd:day>/<slug:slug>/",
        views.article_detail,
        name="article",
    ),
    path("<slug:slug>/", views.section, name="section"),
]

from django.urls import path

from reader import feeds, views

app_name = "reader"

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
        "<slug:section>/<int:year>/<str:month>/<str:day>/<slug:slug>/",
        views.article_detail,
        name="article",
    ),
    path("<slug:slug>/", views.section, name="section"),
]

from django.urls import path

from desk import two_factor_views, views

app_name = "desk"

urlpatterns = [
    path("", views.queue, name="queue"),
    path(
        "two-factor/",
        two_factor_views.two_factor_verify_page,
        name="two_factor_verify",
    ),
    path(
        "two-factor/setup/",
        two_factor_views.two_factor_setup_page,
        name="two_factor_setup",
    ),
    path("claims/<int:pk>/", views.claim_detail, name="claim"),
    path("claims/<int:pk>/assign/", views.claim_assign, name="claim_assign"),
    path("stories/<int:pk>/", views.story, name="story"),
    path("stories/<int:pk>/edit/", views.story_edit, name="story_edit"),
    path("stories/<int:pk>/presence/", views.story_presence, name="story_presence"),
    path("stories/<int:pk>/draft/", views.story_draft, name="story_draft"),
    path("stories/new/draft/", views.story_draft, name="new_story_draft"),
    path("stories/<int:pk>/comments/", views.comment_add, name="comment_add"),
    path(
        "comments/<int:pk>/resolve/",
        views.comment_settle,
        {"resolve": True},
        name="comment_resolve",
    ),
    path(
        "comments/<int:pk>/reopen/",
        views.comment_settle,
        {"resolve": False},
        name="comment_reopen",
    ),
    path("stories/<int:pk>/propose/", views.story_propose, name="story_propose"),
    path(
        "stories/<int:pk>/do/<slug:name>/",
        views.story_transition,
        name="story_transition",
    ),
    path("notifications/", views.notifications, name="notifications"),
    path("corrections/", views.corrections_to_make, name="corrections"),
    path("reports/", views.error_reports, name="error_reports"),
    path(
        "reports/<int:pk>/handle/",
        views.error_report_handle,
        name="error_report_handle",
    ),
    path("sources/unconfirmed/", views.sources_unconfirmed, name="sources_unconfirmed"),
    path("sources/<int:pk>/confirm/", views.source_confirm, name="source_confirm"),
    path("sources/<int:pk>/merge/", views.source_merge, name="source_merge"),
]

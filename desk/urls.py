from django.urls import path

from desk import views

app_name = "desk"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("claims/<int:pk>/", views.claim_detail, name="claim"),
    path("claims/<int:pk>/assign/", views.claim_assign, name="claim_assign"),
    path("stories/<int:pk>/", views.story, name="story"),
    path("stories/<int:pk>/edit/", views.story_edit, name="story_edit"),
    path("stories/<int:pk>/presence/", views.story_presence, name="story_presence"),
    path("stories/<int:pk>/propose/", views.story_propose, name="story_propose"),
    path(
        "stories/<int:pk>/do/<slug:name>/",
        views.story_transition,
        name="story_transition",
    ),
    path("notifications/", views.notifications, name="notifications"),
    path("corrections/", views.corrections_to_make, name="corrections"),
]

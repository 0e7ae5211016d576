"""The editorial panel of the staff edit pages (admin and desk): autosave and
the story's comment threads; and the threads of one claim (desk claim page).

Inclusion tags, so each page that shows them needs one line and no view
changes; the data comes from ``articles.drafts`` and ``desk.comments``.
"""

from django import template
from django.urls import reverse

from articles.drafts import draft_to_restore
from desk.selectors import comment_panel

register = template.Library()


def _page(context) -> dict:
    request = context["request"]
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "next": request.get_full_path(),
    }


@register.inclusion_tag("desk/_editorial.html", takes_context=True)
def editorial_panel(context, article=None):
    """Autosave and comments for the edit page of ``article`` (None: new).
    The page's own form holds the panel, so its buttons post with
    ``formaction`` (``nested``) instead of forms of their own."""
    user = context["request"].user
    panel = comment_panel(user=user, article=article) if article else {}
    draft = draft_to_restore(user=user, article=article)
    return {
        **_page(context),
        **panel,
        "article": article,
        "nested": True,
        "draft": draft,
        "draft_data": {
            "fields": draft.fields,
            "base_revision": draft.base_revision_id,
            "saved_at": draft.saved_at.isoformat(),
        }
        if draft
        else None,
        "keep_url": reverse("desk:story_draft", args=[article.pk])
        if article
        else reverse("desk:new_story_draft"),
    }


@register.inclusion_tag("desk/_comments.html", takes_context=True)
def claim_comments(context, claim):
    """The threads on ``claim``, with a form to open one."""
    user = context["request"].user
    return {
        **_page(context),
        **comment_panel(user=user, article=claim.article, claim=claim),
    }

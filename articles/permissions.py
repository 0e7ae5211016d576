"""Who may edit which article, and who may be credited on it.

Reporters edit their own drafts; editors any story that is not public. A public
story's text only changes by taking it back through checking (unpublish,
reopen, review, approve, publish) or by a correction note: an edit would
otherwise reach readers unchecked.

Bylines credit the people who wrote the story: only writers (``add_article``:
reporters and editors) may be credited, and crediting someone else is an
editor's call (``edit_any_article``). A byline makes its people contributors,
whom separation of duties keeps from checking and approving the story: so a
reporter cannot take a fact-checker, an editor or a publisher off a story by
crediting them.
"""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q

from articles.models import Article

_WRITE = {"content_type__app_label": "articles", "codename": "add_article"}


def can_edit_article(user, article: Article) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if article.status in Article.PUBLIC_STATUSES:
        return False
    if user.has_perm("articles.edit_any_article"):
        return True
    if (
        not user.has_perm("articles.change_article")
        or article.status != Article.Status.DRAFT
    ):
        return False
    return (
        article.created_by_id == user.pk or article.bylines.filter(user=user).exists()
    )


def writers():
    """Active users who may write stories, and so be credited in a byline
    (no joins: forms combine it with other user querysets)."""
    users = get_user_model()
    by_group = users.groups.through.objects.filter(
        user=OuterRef("pk"),
        **{f"group__permissions__{k}": v for k, v in _WRITE.items()},
    )
    by_grant = users.user_permissions.through.objects.filter(
        user=OuterRef("pk"), **{f"permission__{k}": v for k, v in _WRITE.items()}
    )
    return users.objects.filter(
        Q(is_superuser=True) | Exists(by_group) | Exists(by_grant), is_active=True
    )


def byline_refusal(*, actor, credited: list[int], already: list[int]) -> str:
    """Why ``actor`` may not credit the users ``credited`` (``already`` are the
    story's bylines so far), or "" when they may."""
    not_writers = set(credited) - set(
        writers().filter(pk__in=credited).values_list("pk", flat=True)
    )
    if not_writers:
        return (
            "Only people who write stories (reporters and editors) can be "
            "credited in a byline."
        )
    added_others = set(credited) - set(already) - {actor.pk}
    if added_others and not actor.has_perm("articles.edit_any_article"):
        return "You may credit yourself; an editor confirms other bylines."
    return ""

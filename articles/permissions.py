"""Who may edit which article.

Reporters edit their own drafts; editors any story that is not public. A public
story's text only changes by taking it back through checking (unpublish,
reopen, review, approve, publish) or by a correction note: an edit would
otherwise reach readers unchecked.
"""

from articles.models import Article


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

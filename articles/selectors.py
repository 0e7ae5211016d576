"""Reads for articles: history, contributors, edit sessions."""

import datetime

from django.utils import timezone

from articles.models import Article, ArticleRevision, Byline, EditSession

EDIT_SESSION_WINDOW = datetime.timedelta(minutes=5)


def article_revisions(article: Article):
    return (
        ArticleRevision.objects.filter(article=article)
        .select_related("saved_by")
        .order_by("-number")
    )


def article_contributor_ids(article: Article) -> set[int]:
    """Everyone who wrote or edited the story: creator, bylines, revision authors."""
    ids = {article.created_by_id}
    ids.update(Byline.objects.filter(article=article).values_list("user_id", flat=True))
    ids.update(
        ArticleRevision.objects.filter(article=article).values_list(
            "saved_by_id", flat=True
        )
    )
    return ids


def others_editing(*, article: Article, user) -> list[EditSession]:
    """Who else opened the article for editing recently (the soft lock)."""
    since = timezone.now() - EDIT_SESSION_WINDOW
    return list(
        EditSession.objects.filter(article=article, last_seen__gte=since)
        .exclude(user=user)
        .select_related("user")
        .order_by("-last_seen")
    )

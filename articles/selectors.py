"""Reads for articles: history, contributors, edit sessions, merge conflicts."""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.diff import FIELD_LABELS
from articles.merge import Merge
from articles.models import (
    Article,
    ArticleRevision,
    Byline,
    EditSession,
    Section,
    Tag,
)

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


@dataclass(frozen=True)
class ConflictRow:
    """One overlapping change, as a conflict page shows it."""

    key: str
    label: str
    is_body: bool
    base: str
    mine: str
    theirs: str


def _shown(name: str, value) -> str:
    if name == "body":
        return "\n\n".join(value)
    if name == "section_id":
        return str(Section.objects.filter(pk=value).first() or "")
    if name == "author_ids":
        users = get_user_model().objects.in_bulk(value)
        return ", ".join(
            users[pk].get_full_name() or users[pk].get_username()
            for pk in value
            if pk in users
        )
    if name == "tag_ids":
        names = Tag.objects.filter(pk__in=value).values_list("name", flat=True)
        return ", ".join(names)
    return "" if value is None else str(value)


_LABEL_KEYS = {"author_ids": "authors", "tag_ids": "tags"}


def merge_conflict_rows(merge: Merge) -> list[ConflictRow]:
    """The conflicts of a merge, with names for sections, bylines and tags."""
    rows = []
    for conflict in merge.conflicts:
        name = conflict.field.removesuffix("_id")
        rows.append(
            ConflictRow(
                key=conflict.key,
                label=f"Paragraph {conflict.paragraph}"
                if conflict.field == "body"
                else FIELD_LABELS.get(_LABEL_KEYS.get(name, name), name),
                is_body=conflict.field == "body",
                **{
                    side: _shown(conflict.field, getattr(conflict, side))
                    for side in ("base", "mine", "theirs")
                },
            )
        )
    return rows

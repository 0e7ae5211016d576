"""Readable word-level differences between two revisions, field by field."""

import difflib
import re
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.models import ArticleRevision, Section, Tag

_TOKENS = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)

FIELD_LABELS = {
    "headline": "Headline",
    "slug": "Slug",
    "dek": "Standfirst",
    "body": "Body",
    "dateline": "Dateline",
    "story_date": "Story date",
    "section": "Section",
    "contributor_credit": "Contributor credit",
    "embargo_until": "Embargo until",
    "authors": "Bylines",
    "tags": "Tags",
    "lead_image": "Lead picture",
}


@dataclass(frozen=True)
class FieldDiff:
    field: str
    label: str
    changed: bool
    html: SafeString


def _runs(before: list[str], after: list[str]) -> list[tuple[bool, str, str]]:
    """``(equal, old_text, new_text)`` runs; a lone space between two changes
    joins them, so a rewritten phrase reads as one deletion and one insertion."""
    runs: list[tuple[bool, str, str]] = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        old, new = "".join(before[a1:a2]), "".join(after[b1:b2])
        equal = op == "equal"
        if runs and not equal and not runs[-1][0]:
            runs[-1] = (False, runs[-1][1] + old, runs[-1][2] + new)
        elif (
            len(runs) >= 2
            and not equal
            and runs[-1][0]
            and not runs[-1][1].strip()
            and not runs[-2][0]
        ):
            space = runs.pop()[1]
            runs[-1] = (False, runs[-1][1] + space + old, runs[-1][2] + space + new)
        else:
            runs.append((equal, old, new))
    return runs


def word_diff_html(old: str, new: str) -> SafeString:
    """Mark deleted words with ``<del>`` and inserted words with ``<ins>``."""
    parts = []
    for equal, before, after in _runs(_TOKENS.findall(old), _TOKENS.findall(new)):
        if equal:
            parts.append(escape(before))
            continue
        if before:
            parts.append(f"<del>{escape(before)}</del>")
        if after:
            parts.append(f"<ins>{escape(after)}</ins>")
    return mark_safe("".join(parts))


def _display_values(revisions: list[ArticleRevision]) -> list[dict[str, str]]:
    """Field values as text, with ids turned into names in three queries."""
    user_ids = {uid for rev in revisions for uid in rev.author_ids}
    tag_ids = {tid for rev in revisions for tid in rev.tag_ids}
    users = {
        u.pk: (u.get_full_name() or u.get_username())
        for u in get_user_model().objects.filter(pk__in=user_ids)
    }
    tags = dict(Tag.objects.filter(pk__in=tag_ids).values_list("pk", "name"))
    sections = dict(
        Section.objects.filter(pk__in={r.section_id for r in revisions}).values_list(
            "pk", "name"
        )
    )
    return [
        {
            "headline": rev.headline,
            "slug": rev.slug,
            "dek": rev.dek,
            "body": rev.body,
            "dateline": rev.dateline,
            "story_date": rev.story_date.isoformat(),
            "section": sections.get(rev.section_id, ""),
            "contributor_credit": rev.contributor_credit,
            "embargo_until": rev.embargo_until.isoformat() if rev.embargo_until else "",
            "authors": ", ".join(users.get(uid, f"#{uid}") for uid in rev.author_ids),
            "tags": ", ".join(tags.get(tid, f"#{tid}") for tid in rev.tag_ids),
            "lead_image": f"picture {rev.lead_image_id}" if rev.lead_image_id else "",
        }
        for rev in revisions
    ]


def revision_diff(old: ArticleRevision, new: ArticleRevision) -> list[FieldDiff]:
    """Per-field word diff from ``old`` to ``new``; unchanged fields included."""
    before, after = _display_values([old, new])
    return [
        FieldDiff(
            field=name,
            label=label,
            changed=before[name] != after[name],
            html=word_diff_html(before[name], after[name]),
        )
        for name, label in FIELD_LABELS.items()
    ]

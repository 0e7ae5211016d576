"""Three-way merges of two edits made from one revision (articles.merge), and
the save service that uses them (articles.services.article_update)."""

import datetime

import pytest

from articles.content import ArticleContent
from articles.exceptions import EditConflict
from articles.merge import (
    BOTH,
    MINE,
    THEIRS,
    merge_bodies,
    merge_contents,
    split_paragraphs,
)
from articles.services import article_create, article_update
from tests.factories import SectionFactory, TagFactory, article_content

BASE = "First paragraph.\n\nSecond paragraph.\n\nThird paragraph."


def test_paragraphs_are_split_on_blank_lines_whatever_their_spaces():
    assert split_paragraphs("A\nstill A.\n\n \nB.\r\n\r\nC.\n") == [
        "A\nstill A.",
        "B.",
        "C.",
    ]
    assert split_paragraphs("") == []


def test_changes_to_different_paragraphs_merge():
    mine = BASE.replace("First paragraph.", "First, mine.")
    theirs = BASE.replace("Third paragraph.", "Third, theirs.")
    body, conflicts, from_theirs = merge_bodies(BASE, mine, theirs)
    assert body == "First, mine.\n\nSecond paragraph.\n\nThird, theirs."
    assert conflicts == [] and from_theirs == [3]


def test_changes_to_neighbouring_paragraphs_merge():
    mine = BASE.replace("First paragraph.", "First, mine.")
    theirs = BASE.replace("Second paragraph.", "Second, theirs.")
    body, conflicts, _ = merge_bodies(BASE, mine, theirs)
    assert body == "First, mine.\n\nSecond, theirs.\n\nThird paragraph."
    assert conflicts == []


def test_a_paragraph_added_by_one_and_another_removed_by_the_other_merge():
    mine = BASE.replace("Second paragraph.", "Second paragraph.\n\nNew, mine.")
    theirs = "First paragraph.\n\nSecond paragraph."
    body, conflicts, from_theirs = merge_bodies(BASE, mine, theirs)
    assert body == "First paragraph.\n\nSecond paragraph.\n\nNew, mine."
    assert conflicts == [] and from_theirs == [-3]  # their removal of paragraph 3


def test_the_same_paragraph_changed_differently_is_a_conflict_with_both_versions():
    mine = BASE.replace("Second paragraph.", "Second, mine.")
    theirs = BASE.replace("Second paragraph.", "Second, theirs.")
    body, [conflict], _ = merge_bodies(BASE, mine, theirs)
    assert (conflict.base, conflict.mine, conflict.theirs) == (
        ["Second paragraph."],
        ["Second, mine."],
        ["Second, theirs."],
    )
    assert conflict.paragraph == 2 and body == mine  # nothing of mine lost
    for choice, expected in [
        (MINE, "Second, mine."),
        (THEIRS, "Second, theirs."),
        (BOTH, "Second, mine.\n\nSecond, theirs."),
    ]:
        chosen, left, _ = merge_bodies(BASE, mine, theirs, {conflict.key: choice})
        assert left == [] and chosen.split("\n\n")[1:-1] == expected.split("\n\n")


def test_the_same_change_made_twice_is_no_conflict():
    both = BASE.replace("Second paragraph.", "Second, agreed.")
    assert merge_bodies(BASE, both, both)[:2] == (both, [])


def test_a_paragraph_removed_by_one_and_edited_by_the_other_is_a_conflict():
    mine = "First paragraph.\n\nThird paragraph."
    theirs = BASE.replace("Second paragraph.", "Second, theirs.")
    _, [conflict], _ = merge_bodies(BASE, mine, theirs)
    assert conflict.mine == [] and conflict.theirs == ["Second, theirs."]


def test_two_paragraphs_added_at_the_same_place_are_a_conflict():
    mine = BASE.replace("First paragraph.", "First paragraph.\n\nMine.")
    theirs = BASE.replace("First paragraph.", "First paragraph.\n\nTheirs.")
    _, [conflict], _ = merge_bodies(BASE, mine, theirs)
    assert conflict.base == [] and conflict.paragraph == 2


def test_a_choice_only_settles_the_conflict_it_was_made_on():
    mine = BASE.replace("Second paragraph.", "Second, mine.")
    theirs = BASE.replace("Second paragraph.", "Second, theirs.")
    _, [seen], _ = merge_bodies(BASE, mine, theirs)
    newer = BASE.replace("Second paragraph.", "Second, theirs again.")
    _, [left], _ = merge_bodies(BASE, mine, newer, {seen.key: THEIRS})
    assert left.key != seen.key and left.theirs == ["Second, theirs again."]


def _content(**changes) -> ArticleContent:
    values = {
        "headline": "Base headline",
        "slug": "base",
        "section_id": 1,
        "story_date": datetime.date(2026, 1, 4),
        "body": BASE,
    }
    return ArticleContent(**{**values, **changes})


def test_different_fields_merge_and_the_merge_says_what_came_from_theirs():
    merge = merge_contents(
        _content(),
        _content(headline="Mine", body=BASE.replace("First", "1st")),
        _content(dek="Their standfirst", tag_ids=(4,)),
    )
    assert merge.clean
    assert merge.content == _content(
        headline="Mine",
        body=BASE.replace("First", "1st"),
        dek="Their standfirst",
        tag_ids=(4,),
    )
    assert merge.theirs_changed == ["standfirst", "tags"]


def test_the_same_field_changed_differently_is_a_conflict():
    merge = merge_contents(
        _content(), _content(headline="Mine"), _content(headline="Theirs")
    )
    assert merge.content is None
    [conflict] = merge.conflicts
    assert (conflict.field, conflict.mine, conflict.theirs) == (
        "headline",
        "Mine",
        "Theirs",
    )
    chosen = merge_contents(
        _content(),
        _content(headline="Mine"),
        _content(headline="Theirs"),
        {conflict.key: THEIRS},
    )
    assert chosen.content.headline == "Theirs"


def test_a_body_only_one_side_changed_is_taken_as_written():
    odd = "One.\n\n\n\nTwo.   "
    merge = merge_contents(
        _content(body=odd), _content(body=odd, headline="M"), _content(body=odd)
    )
    assert merge.content.body == odd


# ----------------------------------------------------------- the save service


@pytest.mark.django_db
def test_a_stale_save_of_another_paragraph_lands_merged_and_says_so(editor, reporter):
    editor.first_name, editor.last_name = "Kim", "Lee"
    editor.save()
    tag = TagFactory()
    article = article_create(
        actor=reporter, content=article_content(body=BASE, section=SectionFactory().pk)
    )
    base = article.current_revision
    start = ArticleContent.of_revision(base)
    theirs = ArticleContent(
        **{
            **start.as_dict(),
            "body": BASE.replace("Third paragraph.", "Third, Kim's."),
            "tag_ids": (tag.pk,),
        }
    )
    article_update(
        article_id=article.pk, actor=editor, content=theirs, base_revision_id=base.pk
    )
    mine = ArticleContent(
        **{**start.as_dict(), "body": BASE.replace("First paragraph.", "First, mine.")}
    )
    previous, new = article_update(
        article_id=article.pk, actor=reporter, content=mine, base_revision_id=base.pk
    )
    article.refresh_from_db()
    assert article.body == "First, mine.\n\nSecond paragraph.\n\nThird, Kim's."
    assert list(article.tags.all()) == [tag]
    assert previous.number == 2 and new.number == 3 and new.saved_by == reporter
    assert new.merged_from == base
    assert new.merge_note == (
        "Merged with Kim Lee's changes to paragraph 3, tags (revision 2)."
    )


@pytest.mark.django_db
def test_a_stale_save_of_the_same_paragraph_writes_nothing_and_names_the_conflict(
    editor, reporter
):
    article = article_create(actor=reporter, content=article_content(body=BASE))
    base = article.current_revision
    start = ArticleContent.of_revision(base)
    for actor, words in ((editor, "Second, theirs."), (reporter, "Second, mine.")):
        content = ArticleContent(
            **{**start.as_dict(), "body": BASE.replace("Second paragraph.", words)}
        )
        try:
            article_update(
                article_id=article.pk,
                actor=actor,
                content=content,
                base_revision_id=base.pk,
            )
        except EditConflict as conflict:
            raised = conflict
    assert raised.base == base and raised.current.number == 2
    [overlap] = raised.merge.conflicts
    assert overlap.mine == ["Second, mine."] and overlap.theirs == ["Second, theirs."]
    assert article.revisions.count() == 2

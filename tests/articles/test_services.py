import pytest
from django.core.exceptions import ValidationError

from articles.content import ArticleContent
from articles.exceptions import EditConflict
from articles.models import Article, ArticleRevision
from articles.services import article_create, article_restore, article_update
from tests.factories import SectionFactory, TagFactory, article_content

pytestmark = pytest.mark.django_db


def _edit(article, actor, **changes) -> tuple[ArticleRevision, ArticleRevision]:
    current = ArticleContent.of_revision(article.current_revision)
    return article_update(
        article_id=article.pk,
        actor=actor,
        content=ArticleContent(**{**current.as_dict(), **changes}),
        base_revision_id=article.current_revision_id,
    )


def test_creating_an_article_writes_its_first_revision_with_every_field(
    editor, reporter
):
    tag = TagFactory()
    article = article_create(
        actor=editor,  # crediting someone else is an editor's call
        content=article_content(
            dek="Standfirst",
            author_ids=(reporter.pk, editor.pk),
            tag_ids=(tag.pk,),
            contributor_credit="Associated Press",
        ),
        summary="Filed",
    )
    revision = article.current_revision
    assert (
        revision.number == 1
        and revision.saved_by == editor
        and revision.summary == "Filed"
    )
    assert ArticleContent.of_revision(revision) == ArticleContent(
        headline=article.headline,
        slug=article.slug,
        section_id=article.section_id,
        story_date=article.story_date,
        dek="Standfirst",
        body=article.body,
        contributor_credit="Associated Press",
        author_ids=(reporter.pk, editor.pk),
        tag_ids=(tag.pk,),
    )
    assert [b.user for b in article.bylines.all()] == [reporter, editor]
    assert article.status == Article.Status.DRAFT and article.created_by == editor


def test_each_save_adds_a_revision_and_keeps_the_old_one(editor, reporter):
    article = article_create(actor=reporter, content=article_content())
    base, new = _edit(article, editor, body="A new first paragraph.")
    article.refresh_from_db()
    assert (base.number, new.number) == (1, 2)
    assert article.current_revision == new and article.body == "A new first paragraph."
    assert ArticleRevision.objects.get(pk=base.pk).body != article.body


def test_a_save_that_changes_nothing_writes_no_revision(reporter):
    article = article_create(actor=reporter, content=article_content())
    base, new = _edit(article, reporter)
    assert base == new and article.revisions.count() == 1


def test_a_save_from_a_stale_revision_is_a_conflict_and_writes_nothing(
    editor, reporter
):
    article = article_create(actor=reporter, content=article_content())
    stale = article.current_revision_id
    _edit(article, editor, headline="Editor's headline")
    with pytest.raises(EditConflict) as raised:
        article_update(
            article_id=article.pk,
            actor=reporter,
            content=article_content(
                section=article.section_id, headline="Reporter's headline"
            ),
            base_revision_id=stale,
        )
    assert raised.value.base.pk == stale and raised.value.current.number == 2
    article.refresh_from_db()
    assert article.headline == "Editor's headline" and article.revisions.count() == 2


def test_restore_brings_back_old_content_as_a_new_revision(editor, reporter):
    article = article_create(
        actor=reporter, content=article_content(body="Original text.")
    )
    first = article.current_revision
    _edit(article, editor, body="Changed text.")
    article.refresh_from_db()
    _, restored = article_restore(
        article_id=article.pk,
        revision_id=first.pk,
        actor=editor,
        base_revision_id=article.current_revision_id,
    )
    article.refresh_from_db()
    assert restored.number == 3 and restored.restored_from == first
    assert article.body == "Original text." and article.revisions.count() == 3


def test_restoring_another_articles_revision_is_refused(reporter):
    one = article_create(actor=reporter, content=article_content(slug="one"))
    two = article_create(
        actor=reporter, content=article_content(slug="two", section=one.section_id)
    )
    with pytest.raises(ArticleRevision.DoesNotExist):
        article_restore(
            article_id=one.pk,
            revision_id=two.current_revision_id,
            actor=reporter,
            base_revision_id=one.current_revision_id,
        )


def test_revisions_cannot_be_changed_after_they_are_written(reporter):
    article = article_create(actor=reporter, content=article_content())
    revision = article.current_revision
    revision.body = "Rewritten history"
    with pytest.raises(ValidationError, match="immutable"):
        revision.save()


def test_the_same_slug_twice_in_a_section_on_one_day_is_refused(reporter):
    section = SectionFactory()
    article_create(actor=reporter, content=article_content(section=section.pk))
    with pytest.raises(ValidationError):
        article_create(actor=reporter, content=article_content(section=section.pk))
    assert Article.objects.count() == 1

"""Issue #12, item 10: notification email subjects are plain text, one line."""

import pytest
from django.core import mail

from articles.models import Article
from desk import workflow

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "headline, shown",
    [
        ('Kim\'s "launch" & <the sea>', 'Kim\'s "launch" & <the sea>'),
        # Stored by some other path than the forms, which strip control characters.
        ("Launch\r\nBcc: everyone@example.org", "Launch Bcc: everyone@example.org"),
        ("Launch\u2028Bcc: x@example.org\x85", "Launch Bcc: x@example.org"),
    ],
)
def test_a_notification_subject_is_the_headline_unescaped_on_one_line(
    submit_story, editor, reporter, django_capture_on_commit_callbacks, headline, shown
):
    story = submit_story("Officials said the launch failed.")
    Article.objects.filter(pk=story.pk).update(headline=headline)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.article_transition(
            article_id=story.pk,
            actor=editor,
            name="request_changes",
            message="Source the range.",
        )
    (email,) = [m for m in mail.outbox if m.to == [reporter.email]]
    assert email.subject == f"[Newsroom] Changes requested: {shown}"
    message = email.message()
    assert message["Bcc"] is None

"""A sentence with two attributions shows two claims, each marked after its clause."""

import pytest

from desk import workflow
from desk.services import article_start
from factcheck.services import claim_review
from tests.factories import article_content

pytestmark = pytest.mark.django_db

BODY = (
    "Mayor Ana Ruiz said the bridge would reopen in May, while engineer "
    "Tomas Berg said repairs would take until autumn."
)


def test_each_clause_gets_its_own_marker_and_source(
    client, reporter, factchecker, editor, publisher, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = article_start(
            actor=reporter,
            content=article_content(body=BODY, author_ids=(reporter.pk,)),
        )
    workflow.article_transition(article_id=article.pk, actor=reporter, name="submit")
    for claim in article.claims.all():
        claim_review(
            claim_id=claim.pk,
            actor=factchecker,
            attribution="confirmed",
            veracity="accurate",
            note="",
            public_explanation="Both said so at the briefing.",
            evidence=[],
        )
    for actor, name in ((editor, "approve"), (publisher, "publish")):
        with django_capture_on_commit_callbacks(execute=True):
            workflow.article_transition(article_id=article.pk, actor=actor, name=name)
    article.refresh_from_db()
    page = client.get(article.get_absolute_url()).content.decode()
    assert page.count('class="claim-marker"') == 2
    marker_one = page.index('id="claim-ref-1"')
    marker_two = page.index('id="claim-ref-2"')
    # each marker closes its own clause: the first right after "in May"
    assert (
        page[:marker_one]
        .rstrip()
        .endswith('<span class="claim-marker"><a href="#claim-1"')
    )
    assert "reopen in May" in page[marker_one - 120 : marker_one]
    between = page[marker_one:marker_two]
    assert "while engineer" in between and "until autumn" in between
    assert "Mayor Ana Ruiz" in page and "engineer Tomas Berg" in page

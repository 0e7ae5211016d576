"""The promise as a property: random sequences of what a newsroom does, and
after every step, nothing readers can see breaks it.

A seeded generator drives edits, reviews and re-reviews, approvals and
overrides, schedules and sweeps, publications, corrections, retractions and
claim changes against two stories. After each step the anonymous site is read
as readers read it (the story pages and their JSON-LD every step; lists,
feeds, source pages and every link whenever the public edition moved) and
must show no claim
unreviewed, misattributed or rated false unless a publisher's override or
correction naming that claim with that verdict is on record, no rating on a
retracted story, and no link that does not answer 200.

``PROMISE_STEPS`` sets the number of steps (2,000 in CI, fewer locally);
``PROMISE_SEED`` replays a run.
"""

import datetime
import html
import json
import os
import random
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from articles.content import ArticleContent
from articles.exceptions import EditConflict
from articles.models import Article
from audit.models import AuditEntry
from desk import workflow
from desk.exceptions import ApprovalBlocked, InvalidTransition, PublicationBlocked
from desk.services import article_save, article_start, articles_publish_due
from factcheck import services as claims
from factcheck.exceptions import ClaimError
from factcheck.models import Claim
from reader.models import PublicEdition
from tests.conftest import REQUIRE_SERVICES
from tests.factories import SourceFactory, UserFactory, article_content
from tests.reader.crawling import crawl

pytestmark = pytest.mark.django_db

STEPS = int(os.environ.get("PROMISE_STEPS", 2000 if REQUIRE_SERVICES else 300))
SEED = int(os.environ.get("PROMISE_SEED", 20260104))
REFUSED = (
    ApprovalBlocked,
    ClaimError,
    EditConflict,
    InvalidTransition,
    PermissionDenied,
    PublicationBlocked,
    ValidationError,
)
SENTENCES = [
    "Officials said the launch failed.",
    "The rocket fell into the sea.",
    "Analysts said more tests were likely.",
    "The agency reported a successful test.",
    "The minister told reporters the region was calm.",
    "Markets were unmoved.",
]
BLOCKING = {"false", "misattributed"}


class Newsroom:
    """The people and stories of the run, and the moves it may make."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.reporter = UserFactory(username="p-reporter", role="reporter")
        self.editors = [
            UserFactory(username=f"p-editor{n}", role="editor") for n in (1, 2)
        ]
        self.checkers = [
            UserFactory(username=f"p-checker{n}", role="fact-checker") for n in (1, 2)
        ]
        self.publisher = UserFactory(username="p-publisher", role="publisher")
        self.sources = [SourceFactory(name=f"Party {n}") for n in range(3)]
        self.stories = [
            article_start(
                actor=self.reporter,
                content=article_content(
                    slug=f"story-{n}",
                    headline=f"Story {n}",
                    body=" ".join(SENTENCES[n : n + 4]),
                    author_ids=(self.reporter.pk,),
                ),
            )
            for n in (0, 1)
        ]
        self.edits = 0

    def story(self) -> Article:
        return Article.objects.get(pk=self.rng.choice(self.stories).pk)

    def claim(self, story) -> Claim | None:
        live = list(story.claims.exclude(anchor=Claim.Anchor.DETACHED))
        return self.rng.choice(live) if live else None

    # The moves. Each may be refused by a rule; that is part of the run.

    def edit(self):
        story = self.story()
        self.edits += 1
        body = story.body
        if self.rng.random() < 0.5 and body:
            words = body.split(" ")
            words[self.rng.randrange(len(words))] = f"edited{self.edits}"
            body = " ".join(words)
        else:
            body = f"{body} New sentence number {self.edits} said officials."
        content = ArticleContent.of_revision(story.current_revision)
        article_save(
            article=story,
            actor=self.rng.choice([self.reporter, *self.editors]),
            content=ArticleContent(**{**content.as_dict(), "body": body}),
            base_revision_id=story.current_revision_id,
        )

    def review(self):
        story = self.story()
        claim = self.claim(story)
        if claim is None:
            return
        claims.claim_review(
            claim_id=claim.pk,
            actor=self.rng.choice(self.checkers),
            attribution=self.rng.choice(["confirmed", "confirmed", "misattributed"]),
            veracity=self.rng.choice(["accurate", "accurate", "misleading", "false"]),
        )

    def transition(self):
        story = self.story()
        # Mostly what applies to the story now, sometimes anything at all.
        applicable = [t.name for t in workflow.TRANSITIONS if story.status in t.sources]
        every = [t.name for t in workflow.TRANSITIONS]
        name = self.rng.choice(
            applicable if applicable and self.rng.random() < 0.9 else every
        )
        actor = {
            "submit": self.reporter,
            "approve": self.rng.choice([*self.editors, self.publisher]),
            "request_changes": self.editors[1],
            "reopen": self.editors[1],
        }.get(name, self.publisher)
        live = list(story.claims.values_list("pk", flat=True))
        workflow.article_transition(
            article_id=story.pk,
            actor=actor,
            name=name,
            message="Because the desk decided so.",
            publish_at=timezone.now() + datetime.timedelta(minutes=1),
            claim_ids=tuple(self.rng.sample(live, min(len(live), 2))),
        )

    def sweep(self):
        articles_publish_due(now=timezone.now() + datetime.timedelta(hours=1))

    def change_claim(self):
        story = self.story()
        claim = self.claim(story)
        if claim is None:
            return
        actor = self.editors[1]
        move = self.rng.choice(["dismiss", "correct", "merge", "create"])
        if move == "dismiss":
            claims.claim_dismiss(claim_id=claim.pk, actor=actor)
        elif move == "correct":
            claims.claim_correct(
                claim_id=claim.pk,
                actor=actor,
                kind=Claim.Kind.REPORTED_SPEECH,
                speaker=self.rng.choice(self.sources),
                channel=None,
            )
        elif move == "merge":
            other = self.claim(story)
            claims.claim_merge(claim_ids=[claim.pk, other.pk], actor=actor)
        else:
            claims.claim_create(
                article_id=story.pk,
                actor=actor,
                start=claim.start,
                end=claim.start + max(1, len(claim.text) // 2),
            )

    MOVES = (
        "edit",
        "review",
        "review",
        "transition",
        "transition",
        "sweep",
        "change_claim",
    )


def shown_claims(page: str) -> list[tuple[str, str, str]]:
    """(claim text, attribution class, veracity class) of each entry readers see."""
    how = page.split('id="how-heading"', 1)[1] if 'id="how-heading"' in page else ""
    entries = re.findall(
        r'<li id="claim-\d+" class="claim-entry">(.*?)</li>\s*(?=<li id|</ol>)',
        how,
        re.S,
    )
    found = []
    for entry in entries:
        text = html.unescape(
            re.search(r'<span class="claim-text">(.*?)</span>', entry, re.S).group(1)
        )
        attribution = re.search(r"attribution-(\w*)", entry)
        veracity = re.search(r"veracity-(\w*)", entry)
        found.append(
            (
                text,
                attribution.group(1) if attribution else "",
                veracity.group(1) if veracity else "",
            )
        )
    return found


def vouched_for(article: Article) -> set[tuple[int, str, str]]:
    """(claim, attribution, veracity) a publisher's override or correction named."""
    named = set()
    for data in AuditEntry.objects.filter(
        article=article,
        action__in=[AuditEntry.Action.OVERRIDE, AuditEntry.Action.CORRECTION],
    ).values_list("data", flat=True):
        for item in data.get("overridden", []) + data.get("published", []):
            named.add((item["claim"], item["attribution"], item["veracity"]))
    return named


def check_what_readers_see(client, stories, *, crawl_site: bool):
    for story in Article.objects.filter(pk__in=[s.pk for s in stories]):
        response = client.get(story.get_absolute_url())
        if story.status not in Article.PUBLIC_STATUSES:
            assert response.status_code == 404
            continue
        page = response.content.decode()
        graph = json.loads(
            re.search(r'application/ld\+json">(.*?)</script>', page, re.S).group(1)
        )["@graph"]
        reviews = [item for item in graph if item["@type"] == "ClaimReview"]
        entries = shown_claims(page)
        if story.status == Article.Status.RETRACTED:
            assert not reviews and not entries, "a retracted story shows a rating"
            continue
        vouched = vouched_for(story)
        by_text = {c.text: c for c in story.claims.all()}
        by_text.update(
            {c.text: c.claim for c in story.published_claims.select_related("claim")}
        )
        for text, attribution, veracity in entries:
            assert veracity, f"an unrated claim is shown: {text}"
            if attribution in BLOCKING or veracity in BLOCKING:
                claim = by_text[text]
                # A reporter's own assertion shows no attribution: match what is shown.
                assert any(
                    pk == claim.pk
                    and verdict == veracity
                    and (not attribution or said == attribution)
                    for pk, said, verdict in vouched
                ), f"{text!r} shown {attribution}/{veracity}, no publisher on record"
        rated_false = {
            r["claimReviewed"] for r in reviews if r["reviewRating"]["ratingValue"] == 1
        }
        assert rated_false <= {t for t, _, v in entries if v == "false"}
    if crawl_site:
        for url, response in crawl(client).items():
            assert response.status_code == 200, url


def test_random_newsroom_days_never_break_the_promise(
    client, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 0
    rng = random.Random(SEED)
    with django_capture_on_commit_callbacks(execute=True):
        newsroom = Newsroom(rng)
    taken = {}
    crawled_edition = None
    for step in range(STEPS):
        move = rng.choice(Newsroom.MOVES)
        try:
            with django_capture_on_commit_callbacks(execute=True):
                getattr(newsroom, move)()
        except REFUSED:
            continue
        taken[move] = taken.get(move, 0) + 1
        # The story pages every step; the rest of the site (lists, feeds,
        # sources, every link) whenever anything public changed, which moves
        # the public edition: until then it serves the same pages.
        edition = PublicEdition.objects.values_list("number", flat=True).first()
        try:
            check_what_readers_see(
                client, newsroom.stories, crawl_site=edition != crawled_edition
            )
            crawled_edition = edition
        except AssertionError as broken:
            raise AssertionError(
                f"step {step} ({move}, seed {SEED}): {broken}"
            ) from None
    # The run reached the states that matter, not only refusals.
    published = AuditEntry.objects.filter(action=AuditEntry.Action.PUBLICATION).count()
    assert published and taken.get("review", 0) > STEPS // 10, taken

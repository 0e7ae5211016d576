"""Fill a database with the reader benchmark's volume of published news.

``make bench`` (``bench/run.sh``) measures the public pages against 1,000
published stories and 20,000 reviewed claims. This command fabricates them
with ``bulk_create`` and so bypasses the desk and factcheck services on
purpose: the services take one story through drafting, review and the publish
gate one decision at a time, with row locks, audit rows and background tasks.
Here every story is born already reviewed and already published; replaying
20,000 review decisions through them would take many minutes and exercise
nothing the benchmark measures.

What readers see is still consistent: each story has its first revision,
bylines and tags; each claim is anchored at a real sentence of its body
(``body[start:end] == text``, found by ``factcheck.extraction.split_sentences``,
paragraph index as ``articles.rendering.paragraph_spans`` counts), is reviewed
with an attribution and a veracity, and keeps the ``ClaimReview`` row its
verdict came from. No audit entries are written.

Every story leads with a picture, and the stories with 20 claims (the page
``bench/run.sh`` measures) show three more in their body, with all their
renditions made beforehand: the benchmark measures serving pages, not
resizing pictures.

The text comes from a fixed seed, so two runs on empty databases are identical.
"""

import datetime
import io
import random
from bisect import bisect_right

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image

from articles.content import ArticleContent
from articles.models import Article, ArticleRevision, Byline, Section, Tag
from articles.rendering import paragraph_spans
from desk import demo_pictures
from desk.bench_corpus import (
    ATTRIBUTION_WEIGHTS,
    CITIES,
    EXPLANATIONS,
    HEADLINES,
    SECTIONS,
    SOURCES,
    STAFF,
    TAGS,
    VERACITY_WEIGHTS,
    Attribution,
    Story,
    Voice,
    Writer,
    capitalised,
)
from factcheck.extraction import split_sentences
from factcheck.models import Claim, ClaimReview, Evidence, Source, SourceRole
from factcheck.services import claims_publish
from pictures.images import clean_upload
from pictures.services import picture_upload, renditions_make


def claim_counts(stories: int, claims: int, rng: random.Random) -> list[int]:
    """How many claims each story gets, summing to ``claims``: the mean give or
    take 8 (12 to 28 at the default 20 a story)."""
    base = claims // stories
    counts = [base] * stories
    counts[-1] += claims - base * stories
    for _ in range(stories):
        a, b = rng.randrange(stories), rng.randrange(stories)
        shift = rng.randint(0, 8)
        if counts[a] + shift <= base + 8 and counts[b] - shift >= base - 8:
            counts[a] += shift
            counts[b] -= shift
    return counts


class Command(BaseCommand):
    help = (
        "Fill the database with the reader benchmark's published stories and "
        "reviewed claims (bulk insert; refuses a database that has articles)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--stories", type=int, default=1000)
        parser.add_argument("--claims", type=int, default=20000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--force",
            action="store_true",
            help="Add the data even though the database already has articles.",
        )

    def handle(self, *args, stories, claims, seed, force, **options):
        if Article.objects.exists() and not force:
            raise CommandError(
                "The database already has articles; seed_bench is meant for an "
                "empty benchmark database. Pass --force to add to it anyway."
            )
        if not 12 * stories <= claims <= 28 * stories:
            raise CommandError("Give between 12 and 28 claims per story.")
        rng = random.Random(seed)
        with transaction.atomic():
            sections = self._sections()
            staff = self._staff()
            voices = self._voices()
            tags = self._tags()
            writer = Writer(rng, voices)
            made = self._articles(writer, rng, sections, staff, tags, stories)
            total = self._claims(made, rng, staff, claim_counts(stories, claims, rng))
            self._pictures(made, staff)
        self.stdout.write(
            f"Seeded {len(made)} published stories and {total} reviewed claims."
        )

    def _sections(self) -> dict[str, Section]:
        return {
            slug: Section.objects.get_or_create(
                slug=slug, defaults={"name": name, "position": position}
            )[0]
            for position, (name, slug) in enumerate(SECTIONS)
        }

    def _staff(self) -> dict[str, list]:
        """Staff by role; they never sign in, so they get unusable passwords."""
        by_role: dict[str, list] = {}
        for username, full_name, role in STAFF:
            first, last = full_name.split(" ", 1)
            user, made = get_user_model().objects.get_or_create(
                username=username,
                defaults={"first_name": first, "last_name": last, "is_staff": True},
            )
            if made:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            user.groups.add(Group.objects.get(name=role))
            by_role.setdefault(role, []).append(user)
        return by_role

    def _voices(self) -> dict[str, Voice]:
        voices = {}
        for name, kind, called, title, sections in SOURCES:
            source, made = Source.objects.get_or_create(
                name=name,
                defaults={
                    "kind": kind,
                    "aliases": called,
                    "protected": kind == Source.Kind.UNNAMED,
                    "description": "A senior government official"
                    if kind == Source.Kind.UNNAMED
                    else "",
                    "reader_note": "Reports of this state agency cannot be "
                    "independently verified."
                    if kind == Source.Kind.STATE_MEDIA
                    else "",
                },
            )
            if made and title:
                SourceRole.objects.create(
                    source=source, title=title, start=datetime.date(2020, 1, 1)
                )
            voices[name] = Voice(source, called, tuple(sections.split()))
        return voices

    def _tags(self) -> list[Tag]:
        return [
            Tag.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]
            for name in TAGS
        ]

    def _articles(self, writer, rng, sections, staff, tags, count) -> list[Story]:
        now = timezone.now()
        taken = set(Article.objects.values_list("section_id", "story_date", "slug"))
        stories = []
        for n in range(count):
            slug = SECTIONS[n % len(SECTIONS)][1]
            published = now - datetime.timedelta(minutes=rng.randint(30, 525_600))
            headline = writer.fill(rng.choice(HEADLINES[slug]))
            body, sentences = writer.body(slug, rng.randint(600, 880))
            article = Article(
                headline=headline,
                slug=self._unique_slug(
                    taken, sections[slug].pk, published.date(), headline
                ),
                dek=capitalised(writer.clause(slug)) + ".",
                body=body,
                section=sections[slug],
                dateline=rng.choice(CITIES).upper(),
                story_date=published.date(),
                status=Article.Status.PUBLISHED,
                created_by=rng.choice(staff["reporter"]),
                first_published_at=published,
                published_at=published,
            )
            stories.append(Story(article, sentences))
        Article.objects.bulk_create([s.article for s in stories], batch_size=500)
        self._bylines_tags_revisions(stories, rng, staff, tags)
        return stories

    @staticmethod
    def _unique_slug(taken: set, section_id: int, day, headline: str) -> str:
        base = slugify(headline)[:80].strip("-")
        slug, n = base, 1
        while (section_id, day, slug) in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add((section_id, day, slug))
        return slug

    def _bylines_tags_revisions(self, stories, rng, staff, tags) -> None:
        bylines, tagged, revisions = [], [], []
        for story in stories:
            article = story.article
            authors = [article.created_by, *rng.sample(staff["reporter"], 1)]
            authors = list(dict.fromkeys(authors))
            chosen = rng.sample(tags, rng.randint(1, 3))
            bylines += [
                Byline(article=article, user=user, position=position)
                for position, user in enumerate(authors)
            ]
            tagged += [Article.tags.through(article=article, tag=t) for t in chosen]
            revisions.append(
                ArticleRevision(
                    article=article,
                    number=1,
                    **{f: getattr(article, f) for f in ArticleContent.SCALAR_FIELDS},
                    author_ids=[user.pk for user in authors],
                    tag_ids=[tag.pk for tag in chosen],
                    saved_by=article.created_by,
                    created_at=article.first_published_at,
                    summary="Seeded for the benchmark.",
                )
            )
        Byline.objects.bulk_create(bylines, batch_size=2000)
        Article.tags.through.objects.bulk_create(tagged, batch_size=2000)
        ArticleRevision.objects.bulk_create(revisions, batch_size=500)
        for story, revision in zip(stories, revisions, strict=True):
            story.article.current_revision = revision
        Article.objects.bulk_update(
            [s.article for s in stories], ["current_revision"], batch_size=500
        )
        # auto_now(_add) stamped the seeding time; a story was written when published.
        published = Subquery(
            Article.objects.filter(pk=OuterRef("pk")).values("first_published_at")
        )
        Article.objects.filter(pk__in=[s.article.pk for s in stories]).update(
            created_at=published, updated_at=published
        )

    def _claims(self, stories, rng, staff, counts) -> int:
        claims, reviews, carry = [], [], 0
        for story, wanted in zip(stories, counts, strict=True):
            made = self._story_claims(story, rng, staff, wanted + carry)
            carry = wanted + carry - len(made)
            claims += made
        if carry:
            raise CommandError(f"Bodies too short: {carry} claims could not be placed.")
        Claim.objects.bulk_create(claims, batch_size=2000)
        for claim in claims:
            reviews.append(
                ClaimReview(
                    claim=claim,
                    reviewer=claim.updated_by,
                    claim_text=claim.text,
                    attribution=claim.attribution,
                    veracity=claim.veracity,
                    public_explanation=claim.public_explanation,
                )
            )
        ClaimReview.objects.bulk_create(reviews, batch_size=2000)
        reviewed_at = Subquery(
            Claim.objects.filter(pk=OuterRef("claim_id")).values("reviewed_at")
        )
        ClaimReview.objects.filter(
            claim__article__in=[s.article.pk for s in stories]
        ).update(created_at=reviewed_at)
        self._evidence(claims, rng)
        # What readers see of each claim: as it stood when its story went out.
        for story in stories:
            claims_publish(article_id=story.article.pk, now=story.article.published_at)
        return len(claims)

    def _pictures(self, stories: list[Story], staff) -> None:
        """A lead picture for every story, three more in the body of those with
        20 claims (after the text, so the claims' offsets hold)."""
        drawn = [demo_pictures.launch_map, demo_pictures.weapons_timeline]
        drawn += [lambda n=n: _photo(n) for n in range(2)]
        library = []
        for n, draw in enumerate(drawn):
            picture = picture_upload(
                actor=staff["editor"][0],
                image=clean_upload(draw()),
                alt_text=f"Benchmark picture {n}.",
                caption=f"Benchmark picture {n}, credited to its agency.",
                agency="Newsroom graphics",
            )
            renditions_make(picture_id=picture.pk)
            library.append(picture)
        claims = dict(
            Claim.objects.filter(article__in=[s.article.pk for s in stories])
            .values_list("article")
            .annotate(n=Count("pk"))
        )
        for n, story in enumerate(stories):
            article = story.article
            article.lead_image = library[n % len(library)]
            if claims.get(article.pk) == 20:
                article.body += "".join(f"\n\n{p.markdown}" for p in library[1:])
        Article.objects.bulk_update(
            [s.article for s in stories], ["lead_image", "body"], batch_size=500
        )

    def _story_claims(self, story: Story, rng, staff, wanted: int) -> list[Claim]:
        """Claims on ``wanted`` of the body's sentences, as the splitter finds them."""
        article = story.article
        body = article.body
        starts = [start for start, _ in paragraph_spans(body)]
        spans = split_sentences(body)
        chosen = sorted(rng.sample(spans, min(wanted, len(spans))))
        claims = []
        for start, end in chosen:
            text = body[start:end]
            # A sentence the splitter cut differently is the reporter's assertion.
            said = story.sentences.get(text, Attribution(kind="unattributed"))
            veracity = self._veracity(rng, said)
            claims.append(
                Claim(
                    article=article,
                    paragraph=bisect_right(starts, start) - 1,
                    start=start,
                    end=end,
                    text=text,
                    kind=said.kind,
                    speaker=said.speaker.source if said.speaker else None,
                    speaker_text=said.speaker.called if said.speaker else "",
                    channel=said.channel.source if said.channel else None,
                    cue=said.cue,
                    origin=Claim.Origin.ACCEPTED,
                    review=Claim.Review.REVIEWED,
                    attribution=self._attribution(rng, said),
                    veracity=veracity,
                    public_explanation=rng.choice(EXPLANATIONS)
                    if veracity != "not_assessed" and rng.random() < 0.3
                    else "",
                    reviewed_at=article.published_at
                    - datetime.timedelta(minutes=rng.randint(20, 600)),
                    updated_by=rng.choice(staff["fact-checker"]),
                )
            )
        return claims

    @staticmethod
    def _veracity(rng, said: Attribution) -> str:
        if said.kind == Claim.Kind.STATE_MEDIA:
            return Claim.Veracity.UNVERIFIABLE
        names = list(VERACITY_WEIGHTS)
        return rng.choices(names, weights=list(VERACITY_WEIGHTS.values()))[0]

    @staticmethod
    def _attribution(rng, said: Attribution) -> str:
        if said.speaker is None:
            return Claim.Attribution.CONFIRMED  # The reporter's own words.
        names = list(ATTRIBUTION_WEIGHTS)
        return rng.choices(names, weights=list(ATTRIBUTION_WEIGHTS.values()))[0]

    @staticmethod
    def _evidence(claims: list[Claim], rng) -> None:
        """Evidence on one claim in 40; one item in five is internal only."""
        Evidence.objects.bulk_create(
            [
                Evidence(
                    claim=claim,
                    added_by=claim.updated_by,
                    url=f"https://records.example.org/{claim.article_id}/{claim.pk}",
                    title=f"Public record for claim {claim.pk}",
                    note="Checked against the original release.",
                    public=rng.random() >= 0.2,
                )
                for claim in claims
                if rng.random() < 0.025
            ],
            batch_size=2000,
        )


def _photo(seed: int) -> bytes:
    """A photograph's worth of detail (noise over a gradient), as a JPEG."""
    noise = Image.effect_noise((1600, 1067), 40 + 10 * seed)
    gradient = Image.linear_gradient("L").resize((1600, 1067))
    image = Image.merge("RGB", (noise, gradient, Image.blend(noise, gradient, 0.5)))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()

"""Writes to claims, sources and evidence.

Claims are re-anchored synchronously inside the transaction that saves an
article (``claims_reanchor``); proposals from the extractor are applied later
by a task (``claims_propose``). A proposal only ever changes a claim whose
origin is still ``proposed``: what a person set is never overwritten.
"""

import datetime
import functools
import re
from collections.abc import Collection, Mapping

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from articles.models import Article
from articles.rendering import (
    PictureReference,
    paragraph_locator,
    picture_references,
)
from articles.selectors import article_contributor_ids
from articles.signals import announce_public_change
from audit.models import AuditEntry
from audit.services import audit_record
from factcheck import links
from factcheck.anchoring import SpanIndex
from factcheck.exceptions import (
    ClaimConflict,
    ClaimError,
    SelfReviewForbidden,
    SourceNameTaken,
)
from factcheck.extraction import (
    ProposedClaim,
    SourceRegistry,
    extract_claims,
)
from factcheck.models import Claim, ClaimReview, Evidence, PublishedClaim, Source
from factcheck.selectors import (
    claim_placements,
    claims_proposal_key,
    picture_blocks,
    source_registry,
)
from outbox.services import outbox_enqueue
from pictures.models import Picture

_EXTRACTED_KIND = {
    "direct": Claim.Kind.DIRECT_QUOTE,
    "indirect": Claim.Kind.REPORTED_SPEECH,
    "none": Claim.Kind.UNATTRIBUTED,
}
_CAPITALISED = re.compile(r"\b[A-Z][\w'’.-]*")


def claims_reanchor(*, article: Article, old_body: str, new_body: str) -> list[Claim]:
    """Move, mark changed or detach the article's live claims after an edit.

    Must run inside the transaction that saves the body. A reviewed claim
    whose sentence changed goes back to review; untouched claims keep
    everything. Returns the claims sent back to review.
    """
    claims = {
        claim.pk: claim
        for claim in Claim.objects.select_for_update()
        .filter(article=article)
        .exclude(anchor=Claim.Anchor.DETACHED)
    }
    placements = claim_placements(list(claims.values()), old_body, new_body)
    paragraph_of = paragraph_locator(new_body)
    now = timezone.now()
    moved, reopened = [], []
    for placement in placements:
        if placement.outcome == "same":
            continue
        claim = claims[placement.claim_id]
        claim.updated_at = now  # bulk_update does not apply auto_now
        moved.append(claim)
        if placement.outcome == "detached":
            claim.anchor = Claim.Anchor.DETACHED
            claim.version += 1
            continue
        claim.start, claim.end = placement.span.start, placement.span.end
        claim.paragraph = paragraph_of(claim.start)
        if placement.outcome == "changed":
            claim.previous_text = claim.previous_text or claim.text
            claim.text = new_body[claim.start : claim.end]
            claim.anchor = Claim.Anchor.CHANGED
            claim.version += 1
            if claim.review == Claim.Review.REVIEWED:
                claim.review = Claim.Review.REOPENED
                reopened.append(claim)
    # Free every old span first, so that claims trading places cannot trip the
    # one-live-claim-per-span constraint; the bulk update sets the real anchors.
    Claim.objects.filter(pk__in=[c.pk for c in moved]).update(
        anchor=Claim.Anchor.DETACHED
    )
    Claim.objects.bulk_update(
        moved,
        [
            "start",
            "end",
            "paragraph",
            "text",
            "previous_text",
            "anchor",
            "review",
            "updated_at",
            "version",
        ],
    )
    return reopened


_PRONOUNS = frozenset(
    {"it", "he", "she", "they", "we", "i", "you", "its", "this", "that"}
)


def _is_proper_name(text: str) -> bool:
    """Worth a registry entry: a name ("Leif-Eric Easley"), not "officials" or "It"."""
    capitalised = _CAPITALISED.findall(text)
    if len(text.split()) == 1:
        return (
            bool(capitalised)
            and not text.endswith("s")
            and text.lower() not in _PRONOUNS
        )
    return len(capitalised) >= 2


class _Attribution:
    """Turns proposals into claim fields, resolving every source in one query.

    A speaker the registry does not know gets an unconfirmed source, under the
    name the story first gave it ("Leif-Eric Easley" for a later "he"), unless
    that name is surely another spelling or the surname of a known source.
    """

    def __init__(self, proposals: list[ProposedClaim], registry: SourceRegistry):
        self.registry = registry
        keys = {
            int(entry.key)
            for p in proposals
            for entry in (p.source, p.channel_source)
            if entry is not None
        }
        for proposal in proposals:
            known = self._known(proposal)
            if known is not None:
                keys.add(int(known.key))
        self.sources = Source.objects.in_bulk(keys)
        self.new_sources: dict[str, Source] = {}

    def _known(self, proposal: ProposedClaim):
        name = _new_speaker_name(proposal)
        return self.registry.same_party(name) if name else None

    def _speaker(self, proposal: ProposedClaim) -> Source | None:
        if proposal.source is not None:
            return self.sources[int(proposal.source.key)]
        name = _new_speaker_name(proposal)
        if not name:
            return None
        known = self._known(proposal)
        if known is not None:
            return self.sources[int(known.key)]
        if name not in self.new_sources:
            self.new_sources[name], _ = Source.objects.get_or_create(
                name=name, defaults={"confirmed": False, "kind": Source.Kind.PERSON}
            )
        return self.new_sources[name]

    def fields(self, proposal: ProposedClaim) -> dict:
        speaker = self._speaker(proposal)
        channel = (
            self.sources[int(proposal.channel_source.key)]
            if proposal.channel_source is not None
            else None
        )
        kind = _EXTRACTED_KIND[proposal.kind]
        reported_by = channel or speaker
        if kind == Claim.Kind.REPORTED_SPEECH and reported_by is not None:
            if reported_by.kind == Source.Kind.STATE_MEDIA:
                kind = Claim.Kind.STATE_MEDIA
            elif reported_by.kind == Source.Kind.DOCUMENT:
                kind = Claim.Kind.DOCUMENT
        return {
            "kind": kind,
            "speaker": speaker,
            "speaker_text": proposal.speaker or "",
            "channel": channel,
            "cue": proposal.cue or "",
            "confidence": proposal.confidence,
        }


def _new_speaker_name(proposal: ProposedClaim) -> str:
    """The name to register an unknown speaker under, or "" for none."""
    name = (proposal.resolved_name or proposal.speaker or "").strip()
    return name if name and _is_proper_name(name) else ""


def claims_propose_enqueue(*, article_id: int) -> None:
    """Queue a claim proposal for the article's text once this transaction
    commits; until it has run, the publish gate holds the story."""
    outbox_enqueue(
        task="factcheck.tasks.propose_claims_task",
        kwargs={"article_id": article_id},
        key=claims_proposal_key(article_id),
    )


def claims_propose_again(*, article_id: int, actor) -> None:
    """Queue a new proposal for a story whose proposal failed (anyone who may
    change or check stories; the proposal changes nobody's decisions)."""
    if not (
        actor.has_perm("articles.change_article")
        or actor.has_perm("factcheck.review_claim")
    ):
        raise PermissionDenied("Your role does not run claim proposals.")
    with transaction.atomic():
        claims_propose_enqueue(article_id=article_id)


def claims_propose(*, article_id: int) -> dict[str, int]:
    """Apply the extractor's proposals to the article's current body, and
    propose each picture caption in it as a claim whose source is the
    picture's credit (``_caption_spans``).

    Idempotent and safe to run concurrently with itself: the article row is
    locked, a span already holding a live claim is updated only while that
    claim is an untouched proposal, and a span overlapping a claim a person
    made is left alone. Returns counts of created and updated claims.
    """
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article_id)
        registry = source_registry()
        pictures = picture_references(article.body)
        blocks = SpanIndex(picture_blocks(article.body, pictures))
        proposals = [
            p
            for p in extract_claims(article.body, registry)
            if not blocks.overlaps(p.start, p.end)  # picture markup is no sentence
        ]
        attribution = _Attribution(proposals, registry)
        spans = [
            (p.start, p.end, p.text, functools.partial(attribution.fields, p))
            for p in proposals
        ]
        spans += _caption_spans(pictures, registry)
        live = list(article.claims.exclude(anchor=Claim.Anchor.DETACHED))
        by_span = {(c.start, c.end): c for c in live}
        occupied = SpanIndex((c.start, c.end) for c in live)
        paragraph_of = paragraph_locator(article.body)
        created, updated = [], 0
        for start, end, text, fields in spans:
            existing = by_span.get((start, end))
            if existing is None:
                if not occupied.overlaps(start, end):
                    created.append(
                        Claim(
                            article=article,
                            paragraph=paragraph_of(start),
                            start=start,
                            end=end,
                            text=text,
                            origin=Claim.Origin.PROPOSED,
                            **fields(),
                        )
                    )
            elif existing.origin == Claim.Origin.PROPOSED:
                values = fields()
                if any(getattr(existing, k) != v for k, v in values.items()):
                    for name, value in values.items():
                        setattr(existing, name, value)
                    existing.version += 1
                    existing.save(update_fields=[*values, "updated_at", "version"])
                    updated += 1
        Claim.objects.bulk_create(created)
        Article.objects.filter(pk=article.pk).update(
            claims_proposed_for=article.current_revision_id
        )
    return {"created": len(created), "updated": updated}


def _caption_spans(pictures: list[PictureReference], registry: SourceRegistry):
    """A photograph is a claim too: each caption in the body, credited to the
    picture's agency (else its photographer), known to the registry or an
    unconfirmed source, as (start, end, text, fields) like the extractor's."""
    captioned = [p for p in pictures if p.caption.strip()]
    library = Picture.objects.in_bulk({p.picture_id for p in captioned})
    spans = []
    for reference in captioned:
        picture = library.get(reference.picture_id)
        credit = picture and (picture.agency or picture.photographer)
        spans.append(
            (
                reference.caption_start,
                reference.caption_end,
                reference.caption,
                functools.partial(_caption_fields, picture, credit, registry),
            )
        )
    return spans


def _caption_fields(picture: Picture | None, credit: str, registry) -> dict:
    fields = {
        "kind": Claim.Kind.UNATTRIBUTED,
        "speaker": None,
        "speaker_text": "",
        "channel": None,
        "cue": "caption",
        "confidence": Claim.Confidence.HIGH,
    }
    if not credit:
        return fields
    known = registry.same_party(credit)
    if known is not None:
        source = Source.objects.get(pk=int(known.key))
    else:
        kind = Source.Kind.NEWS_AGENCY if picture.agency else Source.Kind.PERSON
        source, _ = Source.objects.get_or_create(
            name=credit, defaults={"confirmed": False, "kind": kind}
        )
    return {
        **fields,
        "kind": Claim.Kind.DOCUMENT,
        "speaker": source,
        "speaker_text": credit,
    }


# Stories whose claims someone must look at again when one changes: an
# approval or a schedule may no longer hold, a public verdict may need a
# correction (the desk decides and tells people: ``desk.services``).
_WATCHED_STATUSES = (
    Article.Status.APPROVED,
    Article.Status.SCHEDULED,
    *Article.PUBLIC_STATUSES,
)


def _claims_changed(article: Article) -> None:
    """A claim of ``article`` changed: readers see nothing of it until a
    correction (``claims_publish``); the desk looks at the story after commit."""
    if article.status in _WATCHED_STATUSES:
        outbox_enqueue(
            task="desk.tasks.story_claims_changed_task",
            kwargs={"article_id": article.pk},
        )


def published_signature(shown: PublishedClaim) -> dict:
    """A claim as readers were shown it, for the audit entry that showed it."""
    return {
        "claim": shown.claim_id,
        "attribution": shown.attribution,
        "veracity": shown.veracity,
    }


def claims_publish(
    *,
    article_id: int,
    now: datetime.datetime,
    claim_ids: Collection[int] | None = None,
) -> list[PublishedClaim]:
    """Show readers the story's claims as they stand: all of them (publication)
    or only ``claim_ids`` (a correction naming them).

    Reviewed live claims are shown with their verdict and public evidence; any
    other claim named is taken off the page. Call inside the transaction that
    publishes or corrects, with the story locked. Returns what is now shown.
    """
    claims = Claim.objects.filter(article_id=article_id)
    shown = PublishedClaim.objects.filter(article_id=article_id)
    if claim_ids is not None:
        claims, shown = claims.filter(pk__in=claim_ids), shown.filter(pk__in=claim_ids)
    shown.delete()
    checked = [
        claim
        for claim in claims.order_by("start")
        if claim.is_live and claim.review == Claim.Review.REVIEWED
    ]
    evidence: dict[int, list[int]] = {}
    for claim_id, pk in (
        Evidence.objects.filter(claim__in=checked, public=True)
        .order_by("pk")
        .values_list("claim_id", "pk")
    ):
        evidence.setdefault(claim_id, []).append(pk)
    return PublishedClaim.objects.bulk_create(
        PublishedClaim(
            claim=claim,
            article_id=article_id,
            evidence_ids=evidence.get(claim.pk, []),
            published_at=now,
            **{
                name: getattr(claim, name)
                for name in (*PublishedClaim.SHOWN_FIELDS, "reviewed_at")
            },
        )
        for claim in checked
    )


def source_save(*, source: Source) -> Source:
    """Save a registry entry; readers' cached pages that show it are dropped.

    Raises ``ValidationError`` for bad data and ``SourceNameTaken`` when another
    entry took the name after ``full_clean`` checked it (the unique index decides).
    """
    try:
        with transaction.atomic():
            source.full_clean()
            source.save()
            # A name, note or protected flag may be on any public page.
            announce_public_change(None)
    except IntegrityError as error:
        if Source.objects.filter(name=source.name).exclude(pk=source.pk).exists():
            raise SourceNameTaken(source.name) from error
        raise
    return source


def _locked_claim(claim_id: int, expected_version: int | None = None) -> Claim:
    """The claim, row-locked, with its version moved on for the change to come.

    ``expected_version`` is the version the person's form was built from (None:
    no form, e.g. an admin action on a fresh list); if the claim has changed
    since, ``ClaimConflict`` says how, and nothing is written.
    """
    claim = Claim.objects.select_for_update().select_related("article").get(pk=claim_id)
    if expected_version is not None and claim.version != expected_version:
        raise ClaimConflict(claim)
    claim.version += 1
    return claim


def _require_claim_editor(actor, permission: str = "factcheck.change_claim") -> None:
    """Claims are added, changed, dismissed and merged by editors (the roles
    table); fact-checkers record their decisions with ``claim_review``."""
    if not actor.has_perm(permission):
        raise PermissionDenied(
            "Only editors change claims; fact-checkers record their review on the desk."
        )


def claim_accept(*, claim_id: int, actor) -> Claim:
    """Take a system proposal as it is: the extractor will not change it again."""
    _require_claim_editor(actor)
    with transaction.atomic():
        claim = _locked_claim(claim_id)
        if claim.origin == Claim.Origin.PROPOSED:
            claim.origin = Claim.Origin.ACCEPTED
            claim.updated_by = actor
            claim.save(update_fields=["origin", "updated_by", "updated_at", "version"])
    return claim


def claim_correct(
    *,
    claim_id: int,
    actor,
    kind: str,
    speaker: Source | None,
    channel: Source | None,
    cue: str = "",
    expected_version: int | None = None,
) -> Claim:
    """Set a claim's attribution by hand. An unattributed claim has no speaker.

    A reviewed claim whose attribution changes goes back to review: its verdict
    was about who said it. Raises ``ClaimError`` for an impossible attribution
    and ``ClaimConflict`` when the claim moved past ``expected_version``.
    """
    _require_claim_editor(actor)
    with transaction.atomic():
        claim = _locked_claim(claim_id, expected_version)
        before = (claim.kind, claim.speaker_id, claim.channel_id)
        claim.kind, claim.speaker, claim.channel, claim.cue = (
            kind,
            speaker,
            channel,
            cue,
        )
        if claim.origin == Claim.Origin.PROPOSED:
            claim.origin = Claim.Origin.ACCEPTED
        claim.updated_by = actor
        _validate_attribution(claim)
        changed = before != (claim.kind, claim.speaker_id, claim.channel_id)
        if changed and claim.review == Claim.Review.REVIEWED:
            claim.review = Claim.Review.REOPENED
        claim.save()
        if changed:
            _audit_claim(
                actor,
                claim,
                AuditEntry.Action.CLAIM_CHANGED,
                data={
                    "kind": claim.kind,
                    "speaker": str(claim.speaker or ""),
                    "channel": str(claim.channel or ""),
                },
            )
        _claims_changed(claim.article)
    return claim


def _audit_claim(actor, claim: Claim, action: str, data: dict | None = None) -> None:
    audit_record(
        actor=actor,
        action=action,
        article=claim.article,
        claim=claim,
        to_state=claim.review,
        data={"text": claim.text, **(data or {})},
    )


def _validate_attribution(claim: Claim) -> None:
    problem = Claim.attribution_problem(claim.kind, claim.speaker, claim.channel)
    if problem:
        raise ClaimError(problem)
    try:
        claim.full_clean()
    except ValidationError as error:
        raise ClaimError(" ".join(error.messages)) from None


def claim_dismiss(
    *, claim_id: int, actor, expected_version: int | None = None
) -> Claim:
    """Take a claim out of the story's checks (kept, so it is not proposed again).

    Dismissing removes a claim from the approval gate, so it is a decision about
    the story: nobody who wrote or edited it may take it (``SelfReviewForbidden``).
    """
    with transaction.atomic():
        claim = _locked_claim(claim_id, expected_version)
        _refuse_contributor(claim.article, actor, "dismiss claims of")
        _require_claim_editor(actor)
        claim.review = Claim.Review.DISMISSED
        if claim.origin == Claim.Origin.PROPOSED:
            claim.origin = Claim.Origin.ACCEPTED
        claim.updated_by = actor
        claim.save(
            update_fields=["review", "origin", "updated_by", "updated_at", "version"]
        )
        _audit_claim(actor, claim, AuditEntry.Action.CLAIM_DISMISSED)
        _claims_changed(claim.article)
    return claim


def claim_create(
    *,
    article_id: int,
    actor,
    start: int,
    end: int,
    kind: str = Claim.Kind.UNATTRIBUTED,
    speaker: Source | None = None,
    channel: Source | None = None,
    cue: str = "",
) -> Claim:
    """Add a claim by hand over ``body[start:end]``."""
    _require_claim_editor(actor, "factcheck.add_claim")
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article_id)
        text = article.body[start:end] if 0 <= start < end <= len(article.body) else ""
        if not text.strip():
            raise ClaimError("A claim must cover some text of the body.")
        claim = Claim(
            article=article,
            start=start,
            end=end,
            text=text,
            kind=kind,
            speaker=speaker,
            channel=channel,
            cue=cue,
            origin=Claim.Origin.MANUAL,
            updated_by=actor,
            paragraph=paragraph_locator(article.body)(start),
        )
        _validate_attribution(claim)
        claim.save()
        _claims_changed(article)
    return claim


def claim_split(
    *, claim_id: int, actor, at: int, expected_version: int | None = None
) -> tuple[Claim, Claim]:
    """Split a claim at ``at`` characters into its text; both halves need review."""
    _require_claim_editor(actor)
    with transaction.atomic():
        claim = _locked_claim(claim_id, expected_version)
        cut = claim.start + at
        body = claim.article.body
        if (
            not (claim.start < cut < claim.end)
            or not body[claim.start : cut].strip()
            or not body[cut : claim.end].strip()
        ):
            raise ClaimError(
                "Split inside the claim's text, leaving words on both sides."
            )
        old_end = claim.end
        rest_start = cut + (len(body[cut:old_end]) - len(body[cut:old_end].lstrip()))
        first_end = claim.start + len(body[claim.start : cut].rstrip())
        _refuse_taken_span(claim.article_id, claim.start, first_end, [claim])
        _refuse_taken_span(claim.article_id, rest_start, old_end, [claim])
        claim.end, claim.text = first_end, body[claim.start : first_end]
        claim.origin, claim.review, claim.updated_by = (
            Claim.Origin.MANUAL,
            Claim.Review.UNREVIEWED,
            actor,
        )
        claim.save()
        second = Claim.objects.create(
            article=claim.article,
            paragraph=claim.paragraph,
            start=rest_start,
            end=old_end,
            text=body[rest_start:old_end],
            kind=claim.kind,
            speaker=claim.speaker,
            speaker_text=claim.speaker_text,
            channel=claim.channel,
            cue=claim.cue,
            origin=Claim.Origin.MANUAL,
            updated_by=actor,
        )
        _audit_claim(
            actor,
            claim,
            AuditEntry.Action.CLAIM_CHANGED,
            data={"split_into": [claim.text, second.text]},
        )
        _claims_changed(claim.article)
    return claim, second


def claim_merge(
    *,
    claim_ids: list[int],
    actor,
    expected_versions: Mapping[int, int] | None = None,
) -> Claim:
    """Merge claims of one article into the first, which needs review again.

    The others are detached, not deleted, so their review history stays.
    ``expected_versions`` maps claim ids to the versions the person saw.
    """
    _require_claim_editor(actor)
    with transaction.atomic():
        claims = list(
            Claim.objects.select_for_update().filter(pk__in=claim_ids).order_by("start")
        )
        if len(claims) < 2 or len({c.article_id for c in claims}) != 1:
            raise ClaimError("Pick two or more claims of the same article to merge.")
        _check_versions(claims, expected_versions)
        first, others = claims[0], claims[1:]
        article = Article.objects.select_for_update().get(pk=first.article_id)
        end = max(c.end for c in claims)
        _refuse_taken_span(article.pk, first.start, end, claims)
        Claim.objects.filter(pk__in=[c.pk for c in others]).update(
            anchor=Claim.Anchor.DETACHED,
            updated_by=actor,
            updated_at=timezone.now(),  # an update() skips auto_now
            version=F("version") + 1,
        )
        first.end, first.text = end, article.body[first.start : end]
        first.origin, first.review, first.updated_by = (
            Claim.Origin.MANUAL,
            Claim.Review.UNREVIEWED,
            actor,
        )
        first.version += 1
        first.save()
        _audit_claim(
            actor,
            first,
            AuditEntry.Action.CLAIM_CHANGED,
            data={"merged": [c.pk for c in others]},
        )
        _claims_changed(article)
    return first


def source_merge(*, keep_id: int, duplicate_id: int) -> Source:
    """Move every claim of ``duplicate`` onto ``keep``, keep its names as aliases,
    then delete the duplicate."""
    if keep_id == duplicate_id:
        raise ClaimError("A source cannot be merged into itself.")
    with transaction.atomic():
        keep, duplicate = (
            Source.objects.select_for_update().get(pk=keep_id),
            Source.objects.select_for_update().get(pk=duplicate_id),
        )
        bump = F("version") + 1
        Claim.objects.filter(speaker=duplicate).update(speaker=keep, version=bump)
        Claim.objects.filter(channel=duplicate).update(channel=keep, version=bump)
        # The same party under its kept name: not a change of what was said.
        PublishedClaim.objects.filter(speaker=duplicate).update(speaker=keep)
        PublishedClaim.objects.filter(channel=duplicate).update(channel=keep)
        aliases = dict.fromkeys(
            [*keep.alias_list, duplicate.name, *duplicate.alias_list]
        )
        aliases.pop(keep.name, None)
        keep.aliases = "\n".join(aliases)
        keep.save(update_fields=["aliases"])
        duplicate.delete()
        announce_public_change(None)  # its claims now show the kept source
    return keep


def source_confirm(*, source_id: int) -> Source:
    """Mark a source the extractor proposed as a real, distinct source.

    Readers then see it as a source of the registry (named and linked) where
    they saw only the words a story used.
    """
    with transaction.atomic():
        source = Source.objects.select_for_update().get(pk=source_id)
        if not source.confirmed:
            source.confirmed = True
            source.save(update_fields=["confirmed"])
            announce_public_change(None)
    return source


def _refuse_taken_span(article_id: int, start: int, end: int, changing) -> None:
    """``ClaimError`` if a live claim other than ``changing`` covers exactly
    ``body[start:end]``: one claim per span."""
    taken = (
        Claim.objects.filter(article_id=article_id, start=start, end=end)
        .exclude(anchor=Claim.Anchor.DETACHED)
        .exclude(pk__in=[claim.pk for claim in changing])
    )
    if taken.exists():
        raise ClaimError("Another claim already covers exactly these words.")


def _check_versions(claims: list[Claim], expected: Mapping[int, int] | None) -> None:
    for claim in claims:
        if expected and claim.pk in expected and claim.version != expected[claim.pk]:
            raise ClaimConflict(claim)


def _refuse_contributor(article: Article, actor, doing: str) -> None:
    if actor.pk in article_contributor_ids(article):
        raise SelfReviewForbidden(
            f"You wrote or edited this story, so you cannot {doing} it. "
            "Ask another fact-checker."
        )


def claim_review(
    *,
    claim_id: int,
    actor,
    attribution: str,
    veracity: str,
    note: str = "",
    public_explanation: str = "",
    evidence: list[dict] | None = None,
    reviewed_text: str | None = None,
    expected_version: int | None = None,
) -> ClaimReview:
    """Record a review decision: kept as history, shown as the claim's verdict.

    Raises ``PermissionDenied`` without the review permission,
    ``SelfReviewForbidden`` for anyone who wrote or edited the story,
    ``ClaimError`` for a detached or dismissed claim and ``ClaimConflict`` when
    someone decided or changed it after ``expected_version``.
    """
    if not actor.has_perm("factcheck.review_claim"):
        raise PermissionDenied("Only fact-checkers review claims.")
    with transaction.atomic():
        claim = _locked_claim(claim_id, expected_version)
        _refuse_contributor(claim.article, actor, "review claims of")
        if not claim.is_live:
            raise ClaimError(
                "This claim is no longer in the story; there is nothing to review."
            )
        if reviewed_text is not None and reviewed_text != claim.text:
            raise ClaimError(
                "The sentence was edited while you were reviewing it. Read the new "
                "text and record your decision again."
            )
        review = ClaimReview(
            claim=claim,
            reviewer=actor,
            claim_text=claim.text,
            attribution=attribution,
            veracity=veracity,
            note=note,
            public_explanation=public_explanation,
        )
        review.full_clean(exclude=["claim", "reviewer"])
        review.save()
        links_to_check = []
        for item in evidence or []:
            item = Evidence(claim=claim, added_by=actor, **item)
            item.full_clean(exclude=["claim", "added_by"])
            links.validate_public_url(item.url)
            item.save()
            if item.url:
                links_to_check.append(item.pk)
        before = claim.review
        claim.attribution, claim.veracity = attribution, veracity
        claim.public_explanation = public_explanation
        claim.review, claim.anchor = Claim.Review.REVIEWED, Claim.Anchor.ANCHORED
        claim.previous_text, claim.reviewed_at, claim.updated_by = (
            "",
            review.created_at,
            actor,
        )
        claim.save()
        audit_record(
            actor=actor,
            action=AuditEntry.Action.REVIEW,
            article=claim.article,
            claim=claim,
            from_state=before,
            to_state=claim.review,
            message=note,
            data={"attribution": attribution, "veracity": veracity, "text": claim.text},
        )
        _claims_changed(claim.article)
        if settings.EVIDENCE_LINK_CHECKS:
            for evidence_id in links_to_check:
                _evidence_link_check_enqueue(evidence_id)
    return review


def _evidence_link_check_enqueue(evidence_id: int) -> None:
    outbox_enqueue(
        task="factcheck.tasks.check_evidence_link_task",
        kwargs={"evidence_id": evidence_id},
    )


def evidence_link_check(*, evidence_id: int) -> str | None:
    """Check an evidence link and record the outcome; return its status, or None
    with nothing to check (no link, evidence gone or its link changed meanwhile).

    The request runs outside any transaction, so no row stays locked while a
    slow site answers. A public link on a public story that breaks or comes
    back changes what readers see.
    """
    url = Evidence.objects.filter(pk=evidence_id).values_list("url", flat=True).first()
    if not url:
        return None
    result = links.check_link(url)
    with transaction.atomic():
        evidence = (
            Evidence.objects.select_for_update(of=("self",))
            .select_related("claim__article")
            .filter(pk=evidence_id, url=url)
            .first()
        )
        if evidence is None:
            return None
        was_broken = evidence.link_is_broken
        evidence.link_status, evidence.link_detail = result.status, result.detail
        evidence.link_checked_at = timezone.now()
        evidence.save(update_fields=["link_status", "link_detail", "link_checked_at"])
        article = evidence.claim.article
        if (
            evidence.public
            and evidence.link_is_broken != was_broken
            and article.status in Article.PUBLIC_STATUSES
        ):
            announce_public_change(article.pk)
    return result.status


def evidence_links_queue_due(*, now=None) -> int:
    """Queue a check of every link due again (``evidence_links_due``); how many."""
    with transaction.atomic():
        due = evidence_links_due(now=now)
        for evidence_id in due:
            _evidence_link_check_enqueue(evidence_id)
    return len(due)


def evidence_links_due(*, now=None, limit: int = 500) -> list[int]:
    """Evidence links never checked, or not for ``EVIDENCE_LINK_RECHECK_DAYS``:
    at most ``limit``, the longest unchecked first."""
    now = now or timezone.now()
    stale = now - datetime.timedelta(days=settings.EVIDENCE_LINK_RECHECK_DAYS)
    due = Evidence.objects.exclude(url="").filter(
        Q(link_checked_at__isnull=True) | Q(link_checked_at__lt=stale)
    )
    return list(
        due.order_by(F("link_checked_at").asc(nulls_first=True), "pk").values_list(
            "pk", flat=True
        )[:limit]
    )


def claims_assign(
    *,
    claim_ids: list[int],
    actor,
    assignee,
    due_at=None,
    expected_versions: Mapping[int, int] | None = None,
) -> list[Claim]:
    """Assign claims to a fact-checker, with an optional due time.

    Anyone who may review can take claims ("assign to me"); assigning others
    needs the assign permission. The assignee must be able to review the
    story (not one of its contributors). ``ClaimConflict`` when a claim changed
    (say, a colleague took it) after the version in ``expected_versions``.
    """
    if assignee != actor and not actor.has_perm("factcheck.assign_claim"):
        raise PermissionDenied("Only editors assign claims to others.")
    if not assignee.has_perm("factcheck.review_claim"):
        raise PermissionDenied(f"{assignee} is not a fact-checker.")
    with transaction.atomic():
        claims = list(
            Claim.objects.select_for_update()
            .select_related("article")
            .filter(pk__in=claim_ids)
            .order_by("pk")
        )
        _check_versions(claims, expected_versions)
        for article in {claim.article for claim in claims}:
            _refuse_contributor(article, assignee, "check")
        for claim in claims:
            claim.assignee, claim.due_at, claim.updated_by = assignee, due_at, actor
            claim.version += 1
            claim.save(
                update_fields=[
                    "assignee",
                    "due_at",
                    "updated_by",
                    "updated_at",
                    "version",
                ]
            )
            audit_record(
                actor=actor,
                action=AuditEntry.Action.ASSIGNMENT,
                article=claim.article,
                claim=claim,
                to_state=assignee.get_username(),
                data={"due_at": due_at.isoformat() if due_at else None},
            )
    return claims

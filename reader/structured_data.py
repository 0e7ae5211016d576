"""schema.org JSON-LD for article pages: one NewsArticle and one ClaimReview
per claim that carries a veracity rating."""

import json

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from factcheck.models import Claim, Source
from pictures.renditions import SocialImage
from pictures.services import picture_social
from reader.selectors import PublicClaim, PublicSource

# Our rating scale for ClaimReview: worst 1 ... best 5. "Unverifiable" is not a
# point on the truth scale, so it is published as -1 ("not rated on the scale")
# with its name; "not assessed" is no rating and gets no ClaimReview.
RATING_VALUES = {
    Claim.Veracity.FALSE: 1,
    Claim.Veracity.MISLEADING: 2,
    Claim.Veracity.MOSTLY_ACCURATE: 4,
    Claim.Veracity.ACCURATE: 5,
    Claim.Veracity.UNVERIFIABLE: -1,
}
_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _organisation() -> dict:
    return {
        "@type": "NewsMediaOrganization",
        "name": settings.NEWSROOM_NAME,
        "url": settings.SITE_URL + "/",
    }


def _claim_author(source: PublicSource | None) -> dict:
    if source is None:
        return _organisation()
    if not source.kind:  # not confirmed: only the words the story used
        return {"@type": "Thing", "name": source.name}
    kind = (
        "Person"
        if source.kind in {Source.Kind.PERSON, Source.Kind.EXPERT, Source.Kind.OFFICIAL}
        else "Organization"
    )
    if source.protected or source.kind == Source.Kind.UNNAMED:
        kind = "Thing"
    return {"@type": kind, "name": source.name}


def claim_review(claim: PublicClaim, *, article_url: str, published: str) -> dict:
    return {
        "@type": "ClaimReview",
        "url": f"{article_url}#claim-{claim.number}",
        "claimReviewed": claim.text,
        "datePublished": (
            claim.reviewed_at.date().isoformat() if claim.reviewed_at else published
        ),
        "author": _organisation(),
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": RATING_VALUES[claim.veracity],
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": claim.veracity_label,
        },
        "itemReviewed": {
            "@type": "Claim",
            "author": _claim_author(claim.speaker),
            "datePublished": published,
            "appearance": {"@type": "NewsArticle", "url": article_url},
        },
    }


def social_image(page) -> SocialImage | None:
    """The story's lead picture as link previews, JSON-LD and feeds show it."""
    lead = page.article.lead_image
    return picture_social(lead) if lead is not None else None


def _image_object(image: SocialImage, caption: str, credit: str) -> dict:
    data = {
        "@type": "ImageObject",
        "url": image.url,
        "contentUrl": image.url,
        "width": image.width,
        "height": image.height,
    }
    if caption:
        data["caption"] = caption
    if credit:
        data["creditText"] = credit
    return data


def article_json_ld(page, *, article_url: str) -> SafeString:
    """The page's JSON-LD, escaped for a ``<script type="application/ld+json">``."""
    article = page.article
    published = article.first_published_at or article.published_at
    published_iso = (
        published.isoformat() if published else article.story_date.isoformat()
    )
    graph = [
        {
            "@type": "NewsArticle",
            "headline": article.headline,
            "description": article.dek,
            "url": article_url,
            "mainEntityOfPage": article_url,
            "datePublished": published_iso,
            "dateModified": (
                page.updated_at or published or article.updated_at
            ).isoformat(),
            "articleSection": article.section.name,
            "author": [{"@type": "Person", "name": name} for name in page.bylines]
            or [_organisation()],
            "publisher": _organisation(),
            "keywords": [tag["name"] for tag in page.tags],
        }
    ]
    image = social_image(page)
    if image is not None:
        lead = page.article.lead_image
        graph[0]["image"] = [_image_object(image, lead.caption, lead.credit)]
    if page.retraction:
        # Its claims (and so its ClaimReviews) are withdrawn with it.
        graph[0]["creativeWorkStatus"] = "Retracted"
    graph += [
        claim_review(claim, article_url=article_url, published=published_iso[:10])
        for claim in page.claims
        if claim.veracity in RATING_VALUES
    ]
    data = json.dumps(
        {"@context": "https://schema.org", "@graph": graph}, ensure_ascii=False
    )
    return mark_safe(data.translate(_ESCAPES))

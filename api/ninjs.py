"""A public story as IPTC ninjs 2.1 (News in JSON), with its claims.

ninjs 2.x allows no properties of its own beyond the standard's, so the
claims travel where the standard leaves room: each is an ``associations``
entry with the profile ``CLAIM_PROFILE``, documented in the README ("ninjs
output"). A validator of plain ninjs 2.1 accepts the whole document.
"""

from django.conf import settings

from reader.selectors import ArticlePage, PublicClaim, PublicSource

NINJS_VERSION = "2.1"
NINJS_SCHEMA = "http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json"
STORY_PROFILE = "newsroom-story/1"
CLAIM_PROFILE = "newsroom-claim/1"


def _text(role: str, value: str, contenttype: str = "text/plain") -> dict:
    return {"role": role, "contenttype": contenttype, "value": value}


def _infosource(source: PublicSource, role: str) -> dict:
    entry = {"name": source.name, "role": role, "literal": source.kind}
    if source.url:
        entry["uri"] = settings.SITE_URL + source.url
    return entry


def _claim(claim: PublicClaim, *, story_url: str) -> dict:
    descriptions = [
        _text("kind", claim.kind_label),
        _text("attribution", claim.attribution),
        _text("attribution-label", claim.attribution_label),
        _text("veracity", claim.veracity),
        _text("veracity-label", claim.veracity_label),
    ]
    if claim.explanation:
        descriptions.append(_text("explanation", claim.explanation))
    if claim.reader_note:
        descriptions.append(_text("reader-note", claim.reader_note))
    if claim.corrected_at:
        descriptions.append(_text("corrected", claim.corrected_at.isoformat()))
    trust = []
    for item in claim.evidence:
        if item.url:
            gone = " (this page is no longer available)" if item.link_broken else ""
            trust.append({"title": item.title + gone, "href": item.url})
        else:
            descriptions.append(_text("evidence", item.title))
        if item.original_text:
            descriptions.append(_text("evidence-original", item.original_text))
            descriptions.append(_text("evidence-translation", item.translation))
    association = {
        "name": f"claim-{claim.number}",
        "uri": f"{story_url}#claim-{claim.number}",
        "type": "text",
        "profile": CLAIM_PROFILE,
        "bodies": [_text("claim", claim.text)],
        "descriptions": descriptions,
        "infosources": [
            _infosource(source, role)
            for source, role in ((claim.speaker, "speaker"), (claim.channel, "channel"))
            if source is not None
        ],
    }
    if claim.reviewed_at:
        association["versioncreated"] = claim.reviewed_at.isoformat()
    if trust:
        association["trustindicators"] = trust
    return association


def _byline(page: ArticlePage) -> str:
    names = list(page.bylines)
    if page.article.contributor_credit:
        names.append(page.article.contributor_credit)
    if not names:
        return ""
    return "By " + (
        names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    )


def ninjs_document(
    page: ArticlePage,
    *,
    uri: str,
    story_url: str,
    body_html: str,
    version_created: str,
    tag_url,
) -> dict:
    """The ninjs 2.1 object of a public story; ``uri`` is its stable identifier."""
    article = page.article
    document = {
        "uri": uri,
        "standard": {
            "name": "ninjs",
            "version": NINJS_VERSION,
            "schema": NINJS_SCHEMA,
        },
        "type": "text",
        "profile": STORY_PROFILE,
        "pubstatus": "canceled" if page.retraction else "usable",
        "versioncreated": version_created,
        "language": settings.LANGUAGE_CODE,
        "copyrightholder": settings.NEWSROOM_NAME,
        "headlines": [_text("main", article.headline)],
        "bodies": [
            {
                **_text("main", body_html, "text/html"),
                "charcount": len(article.body),
                "wordcount": len(article.body.split()),
            }
        ],
        "altids": [{"role": "newsroom-id", "value": str(article.pk)}],
        "renditions": [{"name": "web", "href": story_url, "contenttype": "text/html"}],
        "subjects": [
            {"name": tag["name"], "rel": "tag", "uri": tag_url(tag["slug"])}
            for tag in page.tags
        ],
        "associations": [_claim(claim, story_url=story_url) for claim in page.claims],
    }
    first = article.first_published_at
    if first:
        document["firstcreated"] = first.isoformat()
    if article.dek:
        document["descriptions"] = [_text("summary", article.dek)]
    for correction in page.corrections:
        when = correction.created_at.isoformat()
        document.setdefault("descriptions", []).append(
            _text("correction", f"{when} {correction.text}")
        )
    if page.retraction:
        document.setdefault("descriptions", []).append(
            _text("retraction", page.retraction.text)
        )
    if byline := _byline(page):
        document["by"] = byline
    if article.dateline:
        document["located"] = article.dateline
    return document

"""The staff API: tokens, and every write through the desk's own services."""

import datetime
import json

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from api.models import ApiToken
from api.services import api_token_revoke
from articles.models import Article
from audit.models import AuditEntry
from factcheck.models import Claim
from tests.api.conftest import bearer
from tests.factories import SectionFactory, UserFactory

pytestmark = pytest.mark.django_db


def call(client, method, url, key=None, payload=None, status=200):
    headers = bearer(key) if key else {}
    response = getattr(client, method)(
        url,
        data=json.dumps(payload) if payload is not None else None,
        content_type="application/json",
        **headers,
    )
    assert response.status_code == status, response.content[:800]
    return response.json() if response.content else None


def draft_payload(**overrides):
    return {
        "headline": "Missiles launched toward sea",
        "section": SectionFactory(slug="world").slug,
        "story_date": "2026-01-04",
        "dek": "A test",
        "body": "The military said it detected a launch.\n\n"
        "Experts say more tests are likely.",
        "bylines": ["reporter"],
        **overrides,
    }


@pytest.fixture
def reporter_key(reporter, token_for):
    return token_for(reporter)


def create_draft(client, key, **overrides):
    return call(
        client, "post", "/api/v1/staff/stories/", key, draft_payload(**overrides), 201
    )


# ---------------------------------------------------------------- tokens


def test_a_token_is_stored_only_as_a_digest(reporter, admin_user, token_for):
    key = token_for(reporter, "read")
    token = ApiToken.objects.get()
    assert key.startswith("nrt_") and len(key) > 40
    assert key not in (token.digest, token.prefix) and token.prefix == key[:12]
    assert key not in json.dumps(list(ApiToken.objects.values()), default=str)


def test_requests_without_a_usable_token_are_401(client, reporter, token_for):
    call(client, "get", "/api/v1/staff/me/", status=401)
    response = client.get("/api/v1/staff/me/", **bearer("nrt_not-a-real-key"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    key = token_for(reporter, "read")
    assert call(client, "get", "/api/v1/staff/me/", key)["username"] == "reporter"
    token = ApiToken.objects.get()
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    call(client, "get", "/api/v1/staff/me/", key, status=401)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=None)
    api_token_revoke(
        actor=UserFactory(username="root2", is_superuser=True), token_id=token.pk
    )
    call(client, "get", "/api/v1/staff/me/", key, status=401)


def test_a_user_who_left_the_staff_loses_their_tokens(client, reporter, token_for):
    key = token_for(reporter, "read")
    get_user_model().objects.filter(pk=reporter.pk).update(is_staff=False)
    call(client, "get", "/api/v1/staff/me/", key, status=401)


def test_a_read_token_cannot_write(client, reporter, token_for):
    key = token_for(reporter, "read")
    body = call(client, "post", "/api/v1/staff/stories/", key, draft_payload(), 403)
    assert "only read" in body["detail"]
    assert not Article.objects.exists()


def test_tokens_are_created_with_the_key_shown_once_and_revoked_in_the_admin(
    client, admin_user, reporter
):
    client.force_login(admin_user)
    response = client.post(
        "/admin/api/apitoken/add/",
        {"user": reporter.pk, "name": "CMS sync", "scope": "write"},
    )
    assert response.status_code == 200
    token = ApiToken.objects.get()
    key = response.context["key"]
    assert key.startswith(token.prefix) and key in response.content.decode()
    assert client.get(f"/admin/api/apitoken/{token.pk}/change/").status_code == 200
    assert (
        key
        not in client.get(f"/admin/api/apitoken/{token.pk}/change/").content.decode()
    )
    client.post(
        "/admin/api/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    token.refresh_from_db()
    assert token.revoked_at is not None
    client.logout()
    call(client, "get", "/api/v1/staff/me/", key, status=401)


# ---------------------------------------------------------------- drafts


def test_a_draft_is_created_with_its_claims_proposed(
    client, reporter_key, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story = create_draft(client, reporter_key)
    article = Article.objects.get(pk=story["id"])
    assert article.status == "draft" and article.created_by.username == "reporter"
    assert story["revision"]["number"] == 1
    assert story["revision"]["content"]["bylines"] == ["reporter"]
    assert article.claims.count() == 2
    assert "submit" in story["transitions"]


def test_bad_content_is_a_400_never_a_500(client, reporter_key):
    body = call(
        client, "post", "/api/v1/staff/stories/", reporter_key,
        draft_payload(section="no-such-section"), 400,
    )  # fmt: skip
    assert "no section" in body["detail"]
    call(
        client, "post", "/api/v1/staff/stories/", reporter_key,
        draft_payload(body="nul \x00 byte"), 422,
    )  # fmt: skip
    create_draft(client, reporter_key, slug="taken")
    body = call(
        client, "post", "/api/v1/staff/stories/", reporter_key,
        draft_payload(slug="taken"), 400,
    )  # fmt: skip
    assert body["reasons"]


def test_a_save_on_the_current_revision_writes_a_new_one(client, reporter_key):
    story = create_draft(client, reporter_key)
    saved = call(
        client,
        "put",
        f"/api/v1/staff/stories/{story['id']}/",
        reporter_key,
        draft_payload(headline="Updated", base_revision=story["revision"]["id"]),
    )
    assert saved["revision"]["number"] == 2
    assert saved["revision"]["content"]["headline"] == "Updated"


def test_a_stale_save_is_a_409_with_both_versions_and_writes_nothing(
    client, reporter_key, editor, token_for
):
    story = create_draft(client, reporter_key)
    base = story["revision"]["id"]
    url = f"/api/v1/staff/stories/{story['id']}/"
    call(client, "put", url, token_for(editor),
         draft_payload(headline="Editor's headline", base_revision=base))  # fmt: skip
    conflict = call(
        client, "put", url, reporter_key,
        draft_payload(headline="Reporter's headline", base_revision=base), 409,
    )  # fmt: skip
    assert conflict["base_revision"] == 1
    assert conflict["current"]["number"] == 2
    assert conflict["current"]["content"]["headline"] == "Editor's headline"
    assert conflict["yours"]["headline"] == "Reporter's headline"
    assert conflict["overlapping"] == ["Headline", "Slug"]  # slug from headline
    assert Article.objects.get(pk=story["id"]).revisions.count() == 2


def test_a_stale_save_of_other_fields_and_paragraphs_is_merged(
    client, reporter_key, editor, token_for
):
    story = create_draft(client, reporter_key)
    base, body = story["revision"]["id"], story["revision"]["content"]["body"]
    url = f"/api/v1/staff/stories/{story['id']}/"
    call(client, "put", url, token_for(editor),
         draft_payload(headline="Editor's headline", base_revision=base))  # fmt: skip
    saved = call(
        client, "put", url, reporter_key,
        draft_payload(body=body + "\n\nThe reporter's new paragraph.",
                      base_revision=base),
    )  # fmt: skip
    content = saved["revision"]["content"]
    assert content["headline"] == "Editor's headline"
    assert content["body"].endswith("The reporter's new paragraph.")
    assert saved["revision"]["number"] == 3
    assert "headline" in saved["revision"]["merge_note"]


def test_a_reporter_cannot_edit_anothers_draft(
    client, reporter_key, other_reporter, token_for
):
    story = create_draft(client, reporter_key)
    call(
        client, "put", f"/api/v1/staff/stories/{story['id']}/",
        token_for(other_reporter),
        draft_payload(base_revision=story["revision"]["id"]), 403,
    )  # fmt: skip


# ---------------------------------------------------------------- workflow


def transition_url(story_id, name):
    return f"/api/v1/staff/stories/{story_id}/transitions/{name}/"


def test_a_reporter_submits_but_cannot_approve(client, reporter_key):
    story = create_draft(client, reporter_key)
    submitted = call(
        client, "post", transition_url(story["id"], "submit"), reporter_key, {}
    )
    assert submitted["status"] == "submitted"
    entry = AuditEntry.objects.get(data__transition="submit")
    assert entry.actor.username == "reporter" and entry.to_state == "submitted"
    refused = call(
        client, "post", transition_url(story["id"], "approve"), reporter_key, {}, 403
    )
    assert "role does not allow" in refused["detail"]
    assert not AuditEntry.objects.filter(data__transition="approve").exists()
    assert Article.objects.get(pk=story["id"]).status == "submitted"


def test_approval_is_refused_while_claims_await_review(
    client, reporter_key, editor, token_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story = create_draft(client, reporter_key)
    call(client, "post", transition_url(story["id"], "submit"), reporter_key, {})
    refused = call(
        client,
        "post",
        transition_url(story["id"], "approve"),
        token_for(editor),
        {},
        409,
    )
    assert any("await review" in reason for reason in refused["reasons"])
    call(
        client,
        "post",
        transition_url(story["id"], "nonsense"),
        token_for(editor),
        {},
        422,
    )


def test_a_fact_checker_cannot_be_credited_so_as_to_keep_them_off_a_story(
    client, reporter_key, factchecker
):
    refused = call(
        client, "post", "/api/v1/staff/stories/", reporter_key,
        draft_payload(bylines=["reporter", "factchecker"]), 400,
    )  # fmt: skip
    assert "Only people who write stories" in json.dumps(refused)
    assert not Article.objects.exists()


def test_the_whole_path_from_draft_to_published_through_the_api(
    client, reporter_key, editor, factchecker, publisher, token_for,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        story = create_draft(client, reporter_key)
    call(client, "post", transition_url(story["id"], "submit"), reporter_key, {})
    checker = token_for(factchecker)
    queue = call(client, "get", f"/api/v1/staff/queue/?story={story['id']}", checker)
    assert len(queue["items"]) == 2
    for claim in queue["items"]:
        review = call(
            client, "post", f"/api/v1/staff/claims/{claim['id']}/reviews/", checker,
            {
                "attribution": "confirmed",
                "veracity": "accurate",
                "note": "internal: phoned the ministry",
                "public_explanation": "Matches the statement.",
                "evidence": [{"title": "Statement", "url": "https://example.org/s"}],
                "version": claim["version"],
                "reviewed_text": claim["text"],
            },
            201,
        )  # fmt: skip
        assert review["veracity"] == "accurate"
    assert AuditEntry.objects.filter(action="review", actor=factchecker).count() == 2
    assert (
        call(client, "get", f"/api/v1/staff/queue/?story={story['id']}", checker)[
            "items"
        ]
        == []
    )
    call(client, "post", transition_url(story["id"], "approve"), token_for(editor), {})
    published = call(
        client, "post", transition_url(story["id"], "publish"), token_for(publisher), {}
    )
    assert published["status"] == "published" and published["public_url"]
    public = call(client, "get", f"/api/v1/stories/{story['id']}/")
    assert [c["explanation"] for c in public["claims"]] == [
        "Matches the statement."
    ] * 2
    assert "internal: phoned" not in json.dumps(public)


def test_a_stale_review_is_a_409_that_says_who_decided_first(
    client, reporter_key, factchecker, token_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story = create_draft(client, reporter_key)
    other = UserFactory(username="checker2", role="fact-checker")
    claim = call(
        client, "get", f"/api/v1/staff/queue/?story={story['id']}", token_for(other)
    )["items"][0]
    decision = {
        "attribution": "confirmed",
        "veracity": "accurate",
        "version": claim["version"],
    }
    url = f"/api/v1/staff/claims/{claim['id']}/reviews/"
    call(client, "post", url, token_for(other), decision, 201)
    refused = call(client, "post", url, token_for(factchecker), decision, 409)
    assert "recorded a decision first" in refused["detail"]


def test_the_queue_is_paged_by_cursor(
    client, reporter_key, factchecker, token_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        create_draft(client, reporter_key, slug="one")
        create_draft(client, reporter_key, slug="two")
    key = token_for(factchecker, "read")
    seen, url = [], "/api/v1/staff/queue/?limit=3"
    while url:
        page = call(client, "get", url, key)
        seen += [item["id"] for item in page["items"]]
        url = page["next"]
    assert sorted(seen) == sorted(Claim.objects.values_list("pk", flat=True))
    assert len(seen) == 4
    call(client, "get", "/api/v1/staff/queue/?cursor=bad", key, status=400)


def test_staff_answers_are_never_cached(client, reporter_key):
    response = client.get("/api/v1/staff/me/", **bearer(reporter_key))
    assert (
        "no-cache" in response["Cache-Control"]
        or "private" in response["Cache-Control"]
    )

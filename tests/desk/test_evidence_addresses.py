"""Evidence links shown to readers are public http(s) addresses (#10.10)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from factcheck.models import Evidence
from factcheck.services import claim_review

pytestmark = pytest.mark.django_db

REFUSED = [
    ("ftp://files.example.org/report.pdf", "only http and https"),
    ("http://127.0.0.1/admin/", "not a public address"),
    ("http://localhost/", "not a public address"),
    ("http://169.254.169.254/latest/meta-data/", "not a public address"),
    ("http://10.0.0.5/", "not a public address"),
    ("http://192.168.1.1/router", "not a public address"),
    ("http://[::1]/", "not a public address"),
    ("http://2130706433/", "valid URL"),
    ("http://intranet/wiki", "valid URL"),
    ("https://example.org:8443/", "port 8443"),
    ("https://user@example.org/", "user name"),
]


@pytest.fixture
def claim(submit_story):
    story = submit_story("Officials said the launch failed.")
    return story.claims.get()


def _review(client, claim, url):
    return client.post(
        reverse("desk:claim", args=[claim.pk]),
        {
            "attribution": "confirmed",
            "veracity": "accurate",
            "reviewed_text": claim.text,
            "version": claim.version,
            "evidence_title": "The statement",
            "evidence_url": url,
            "evidence_public": "on",
        },
    )


@pytest.mark.parametrize(("url", "why"), REFUSED)
def test_the_review_form_refuses_a_non_public_evidence_address_and_says_why(
    client, factchecker, claim, url, why
):
    client.force_login(factchecker)
    response = _review(client, claim, url)
    assert response.status_code == 400
    assert why in response.content.decode()
    assert not Evidence.objects.exists()
    claim.refresh_from_db()
    assert claim.review == claim.Review.UNREVIEWED


@pytest.mark.parametrize(("url", "why"), REFUSED)
def test_the_review_service_refuses_it_whatever_the_caller(
    factchecker, claim, url, why
):
    with pytest.raises(ValidationError, match=why):
        claim_review(
            claim_id=claim.pk,
            actor=factchecker,
            attribution="confirmed",
            veracity="accurate",
            evidence=[{"title": "The statement", "url": url}],
        )
    assert not Evidence.objects.exists()


def test_a_public_address_is_kept(client, factchecker, claim):
    client.force_login(factchecker)
    response = _review(client, claim, "https://www.example.org/statement")
    assert response.status_code == 302
    assert Evidence.objects.get().url == "https://www.example.org/statement"

"""Login throttling (#12.7): per account and per address, with a clear page,
and the client's address taken behind trusted proxies only."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from newsroom.proxies import client_address
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")


def _sign_in(client, username, password, address="198.51.100.7", **headers):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
        **headers,
    )


def test_wrong_passwords_lock_the_account_even_with_the_right_one_then(
    client, settings
):
    UserFactory(username="kim", role="editor")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(client, "kim", "wrong").status_code == 200
    locked = _sign_in(client, "kim", "wrong")
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    right = _sign_in(client, "kim", "pw-for-tests")
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session
    # From another address, too: the account itself is locked.
    assert _sign_in(client, "kim", "pw-for-tests", "203.0.113.9").status_code == 429


def test_one_address_trying_many_accounts_is_locked_out(client, settings):
    UserFactory(username="lee", role="publisher")
    for n in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, f"guess{n}", "wrong", "192.0.2.50")
    assert _sign_in(client, "lee", "pw-for-tests", "192.0.2.50").status_code == 429
    assert _sign_in(client, "lee", "pw-for-tests", "192.0.2.51").status_code == 302


def test_a_right_password_before_the_limit_signs_in_and_resets(client, settings):
    UserFactory(username="park", role="editor")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, "park", "wrong")
    assert _sign_in(client, "park", "pw-for-tests").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, "park", "wrong")
    assert _sign_in(client, "park", "pw-for-tests").status_code == 302


def test_behind_a_trusted_proxy_each_client_is_counted_apart(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="choi", role="editor")
    proxy = "10.0.0.2"
    for n in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, f"guess{n}", "wrong", proxy, HTTP_X_FORWARDED_FOR="192.0.2.66")
    # Another reader behind the same proxy is not locked out with the first.
    response = _sign_in(
        client, "choi", "pw-for-tests", proxy, HTTP_X_FORWARDED_FOR="192.0.2.77"
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "1.2.3.4", "10.0.0.2"),  # no proxy trusted: the header is the client's
        (1, "1.2.3.4", "1.2.3.4"),
        (1, "6.6.6.6, 1.2.3.4", "1.2.3.4"),  # the left part is forgeable
        (2, "6.6.6.6, 1.2.3.4, 10.0.0.1", "1.2.3.4"),
        (2, "1.2.3.4", "10.0.0.2"),  # fewer hops than proxies: only the peer
        (1, "not-an-address", "10.0.0.2"),
        (1, "", "10.0.0.2"),
    ],
)
def test_the_client_address_is_taken_from_the_right(
    settings, count, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded
    )
    assert client_address(request) == expected


def test_the_public_api_counts_clients_behind_a_trusted_proxy_apart(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.API_RATE_ANONYMOUS = "2/m"
    behind = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(2):
        response = client.get(
            "/api/v1/sections/", HTTP_X_FORWARDED_FOR="192.0.2.1", **behind
        )
        assert response.status_code == 200
    refused = client.get(
        "/api/v1/sections/", HTTP_X_FORWARDED_FOR="192.0.2.1", **behind
    )
    assert refused.status_code == 429
    other = client.get("/api/v1/sections/", HTTP_X_FORWARDED_FOR="192.0.2.2", **behind)
    assert other.status_code == 200
    # A forged header in front of the proxy's own entry changes nothing.
    forged = client.get(
        "/api/v1/sections/",
        HTTP_X_FORWARDED_FOR="192.0.2.3, 192.0.2.1",
        **behind,
    )
    assert forged.status_code == 429

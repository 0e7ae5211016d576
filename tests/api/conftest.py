import pytest
from django.contrib.auth import get_user_model

from api.services import api_token_create
from tests.factories import UserFactory

# The reader's demo newsroom and its published seed story, page cache off; the
# page cache's WSGI layer for the tests that drive it.
from tests.reader.conftest import _no_page_cache, demo, published  # noqa: F401
from tests.reader.test_page_cache import (  # noqa: F401
    _keep_the_test_connection,
    page_cache,
)


@pytest.fixture
def admin_user(db):
    return UserFactory(username="root", is_superuser=True)


@pytest.fixture
def token_for(admin_user):
    """``token_for(username_or_user, scope)``: the key of a new token."""

    def make(user, scope="write"):
        if isinstance(user, str):
            user = get_user_model().objects.get(username=user)
        return api_token_create(
            actor=admin_user, user=user, name=f"{user} {scope}", scope=scope
        )[1]

    return make


def bearer(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}

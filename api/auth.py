"""Bearer-token authentication of the staff API (``Authorization: Bearer nrt_…``).

The request then acts as the token's user: every service checks that user's
own permissions, so a token can do nothing its holder could not do on the desk.
"""

from ninja.errors import AuthorizationError
from ninja.security import HttpBearer

from api.services import api_token_authenticate


class TokenAuth(HttpBearer):
    def __init__(self, *, write: bool):
        self.write = write
        super().__init__()

    def authenticate(self, request, token: str):
        api_token = api_token_authenticate(token)
        if api_token is None:
            return None
        if self.write and not api_token.allows_writes:
            raise AuthorizationError(message="This token may only read.")
        request.user = api_token.user
        return api_token


READ = TokenAuth(write=False)
WRITE = TokenAuth(write=True)

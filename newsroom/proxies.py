"""The client's address, behind the proxies the deployment trusts.

With ``TRUSTED_PROXY_COUNT`` = 0 (the default) the app is reached directly and
the client is ``REMOTE_ADDR``; ``X-Forwarded-For`` is the client's own word and
is ignored. With N proxies in front (a load balancer, then nginx: 2), each
appends the address it was reached from, so the client is the Nth entry from
the right: entries further left were written by the client and can be forged.
Every per-client limit (login lockouts, the API's rate limits, the error-report
form) asks this one function.
"""

import ipaddress

from django.conf import settings


def client_address(request) -> str:
    """The address of the client that sent ``request`` (see the module)."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    if len(forwarded) < count:
        return remote  # not through every trusted proxy: only the peer is known
    try:
        return str(ipaddress.ip_address(forwarded[-count]))
    except ValueError:
        return remote

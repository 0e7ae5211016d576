"""Is an evidence link still there? One HTTP check, safe to point at anything.

Evidence URLs are typed by staff and fetched by our workers, so a link must
not reach inside the network: only http(s) on the default or a web port, and
every address the host resolves to (at each redirect too) must be public,
unless ``EVIDENCE_LINK_CHECK_PRIVATE`` allows private ones (tests, intranets).
A HEAD request is tried first; servers that refuse HEAD get a GET whose body
is not read.
"""

import http.client
import ipaddress
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from factcheck.models import Evidence

USER_AGENT = "NewsroomLinkCheck/1.0 (+evidence link check)"
TIMEOUT_SECONDS = 10
_HEAD_REFUSED = {403, 405, 501}
_GONE = {404, 410}  # Other errors (5xx, 429, 401...) may pass: not "gone".


@dataclass(frozen=True)
class LinkCheck:
    status: Evidence.LinkStatus
    detail: str


class RefusedAddress(Exception):
    """The URL points somewhere the checker must not go."""


def _refuse_unsafe(url: str) -> None:
    try:
        parts = urlsplit(url)
    except ValueError:
        raise RefusedAddress("the address cannot be read") from None
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise RefusedAddress("only http and https links are checked")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise RefusedAddress("the port is not a number") from None
    if settings.EVIDENCE_LINK_CHECK_PRIVATE:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise urllib.error.URLError(error) from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global:
            raise RefusedAddress(f"{parts.hostname} is a private address")


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects only to addresses a first request could go to."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        _refuse_unsafe(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_opener = urllib.request.build_opener(_CheckedRedirects)


def _request(url: str, method: str) -> int:
    request = urllib.request.Request(
        url, method=method, headers={"User-Agent": USER_AGENT}
    )
    with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
        return response.status


def check_link(url: str) -> LinkCheck:
    """Check one URL; never raises for anything the far end or the URL does."""
    Status = Evidence.LinkStatus
    try:
        _refuse_unsafe(url)
        try:
            code = _request(url, "HEAD")
        except urllib.error.HTTPError as error:
            if error.code not in _HEAD_REFUSED:
                raise
            code = _request(url, "GET")
    except RefusedAddress as error:
        return LinkCheck(Status.REFUSED, str(error))
    except urllib.error.HTTPError as error:
        gone = error.code in _GONE
        return LinkCheck(
            Status.BROKEN if gone else Status.UNREACHABLE, f"HTTP {error.code}"
        )
    except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
        reason = getattr(error, "reason", error)
        return LinkCheck(Status.UNREACHABLE, str(reason)[:200] or type(error).__name__)
    return LinkCheck(Status.OK, f"HTTP {code}")

"""Is an evidence link still there? A few HTTP requests, safe to point at anything.

Evidence URLs are typed by staff and fetched by our workers, so a link must
not reach inside our network. Only http(s) URLs on the standard ports, with no
user part and no escapes in the host, are checked; and the address is checked
where it matters, when the socket is opened: every address the host resolves
to must be public, and the connection goes to the address that was checked, so
a name that resolves differently a moment later (DNS rebinding) gains nothing.
Each redirect opens its own checked connection. Proxies from the environment
are ignored. ``EVIDENCE_LINK_CHECK_PRIVATE`` lifts the address and port rules
(an intranet source; tests).

A HEAD request is tried first; a server that refuses HEAD, or says the page is
gone, is asked again with a GET (whose body is not read) before we believe it.
Each connection and read has ``TIMEOUT_SECONDS``, the whole check
``CHECK_SECONDS``; redirect bodies are never read.

``fetch`` makes any request under the same rules, for the other parts of the
newsroom that reach addresses people typed (agency feeds, webhooks), each
with its own setting for private addresses.
"""

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError

from factcheck.models import Evidence

USER_AGENT = "NewsroomLinkCheck/1.0 (+evidence link check)"
TIMEOUT_SECONDS = 10  # for each connection and each read
CHECK_SECONDS = 30  # for a whole check: a server may drip bytes for ever
_DETAIL_LENGTH = Evidence._meta.get_field("link_detail").max_length
_STANDARD_PORTS = {"http": 80, "https": 443}
_GONE = {404, 410}  # Other errors (5xx, 429, 401...) may pass: not "gone".
_ASK_AGAIN_WITH_GET = {403, 405, 501} | _GONE
_GLOBAL_UNICAST_V6 = ipaddress.ip_network("2000::/3")
# IPv6 ranges that carry an IPv4 address (NAT64, 6to4, Teredo): global unicast
# by their prefix, but they lead wherever the IPv4 address inside them does.
_EMBEDDING_IPV4 = [
    ipaddress.ip_network(net)
    for net in ("64:ff9b::/96", "64:ff9b:1::/48", "2002::/16", "2001::/32")
]


@dataclass(frozen=True)
class LinkCheck:
    status: Evidence.LinkStatus
    detail: str


class RefusedAddress(Exception):
    """The URL points somewhere the checker must not go."""


def _private_allowed() -> bool:
    """Whether private addresses may be reached: the caller's choice (``fetch``),
    else the link check's setting."""
    allowed = getattr(_checking, "allow_private", None)
    return settings.EVIDENCE_LINK_CHECK_PRIVATE if allowed is None else allowed


def _refuse_unsafe_url(url: str) -> None:
    """Refuse URLs whose shape alone rules them out (scheme, port, user part)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise RefusedAddress("the address cannot be read") from None
    if parts.scheme not in _STANDARD_PORTS or not parts.hostname:
        raise RefusedAddress("only http and https addresses are allowed")
    if "@" in parts.netloc or "%" in parts.netloc:
        raise RefusedAddress("addresses with a user name or escapes are not allowed")
    if _private_allowed():
        return
    if port is not None and port != _STANDARD_PORTS[parts.scheme]:
        raise RefusedAddress(f"port {port} is not a web port")


def _allowed_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if _private_allowed():
        return True
    if address.version == 6 and (
        address not in _GLOBAL_UNICAST_V6
        or any(address in net for net in _EMBEDDING_IPV4)
    ):
        return False
    return address.is_global and not address.is_multicast


# Names that never lead to a public site, whatever they resolve to here.
_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".home.arpa")


def refuse_non_public_url(url: str) -> None:
    """Raise ``RefusedAddress`` (saying why) unless ``url`` is, as written, a
    public http(s) address: the rule for links shown to readers. An address
    given by number must be public; a name must look like one on the internet
    (dotted, not a local suffix, not a number in disguise). Names are not
    resolved here: the link check does that, at every connection."""
    _refuse_unsafe_url(url)
    host = urlsplit(url).hostname.rstrip(".")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        last_label = host.rpartition(".")[2]
        local = (
            "." not in host
            or host.endswith(_LOCAL_SUFFIXES)
            or last_label.isdigit()
            or last_label.startswith("0x")
        )
        if local and not _private_allowed():
            raise RefusedAddress(f"{host} is not a public address") from None
        return
    if not _allowed_address(address):
        raise RefusedAddress(f"{host} is not a public address")


def validate_public_url(url: str) -> None:
    """Validator of links shown to readers (evidence): ``refuse_non_public_url``
    as a ``ValidationError`` that says why."""
    if not url:
        return
    try:
        refuse_non_public_url(url)
    except RefusedAddress as error:
        raise ValidationError(
            f"Readers can only be sent to public web addresses: {error}.",
            code="not_public",
        ) from None


class _Deadline:
    """Shuts every socket of one check once its time is up: timeouts per read
    do not stop a server that answers a byte at a time, or 100 Continue for
    ever."""

    def __init__(self, seconds: float):
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> "_Deadline":
        _checking.deadline = self
        self._timer.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._timer.cancel()
        _checking.deadline = None

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            if self.expired:
                sock.close()
                raise TimeoutError("the check ran out of time")
            self._sockets.append(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


# The deadline of the check this thread runs, and its caller's private-address
# choice (``fetch``).
_checking = threading.local()


def _connect_checked(address, timeout=None, source_address=None):
    """``socket.create_connection`` to an address of the host that was checked."""
    host, port = address
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except UnicodeError:
        raise RefusedAddress("the host name cannot be read") from None
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    if not addresses or not all(_allowed_address(ip) for ip in addresses):
        raise RefusedAddress(f"{host} is not a public address")
    sock = socket.create_connection((str(addresses[0]), port), timeout, source_address)
    deadline = getattr(_checking, "deadline", None)
    if deadline is not None:
        deadline.watch(sock)
    return sock


class _CheckedConnection:
    """http.client opens every socket through the ``_create_connection`` its
    ``__init__`` sets; ours connects only to checked addresses. HTTPS still
    verifies the certificate for the host name."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _connect_checked


class _CheckedHTTPConnection(_CheckedConnection, http.client.HTTPConnection):
    pass


class _CheckedHTTPSConnection(_CheckedConnection, http.client.HTTPSConnection):
    pass


class _CheckedHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_CheckedHTTPConnection, req)


class _CheckedHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(_CheckedHTTPSConnection, req, context=self._context)


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to a URL a first request could go to."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        _refuse_unsafe_url(newurl)
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        # urllib reads a redirect's body whole before following it: closed
        # here, that read finds nothing, however much the server would send.
        fp.close()
        return new


_opener = urllib.request.build_opener(
    urllib.request.ProxyHandler({}),
    _CheckedHTTPHandler,
    # Our own verifying context, whatever the process default was set to.
    _CheckedHTTPSHandler(context=ssl.create_default_context()),
    _CheckedRedirects,
)


def _status(url: str, method: str) -> int:
    request = urllib.request.Request(
        url, method=method, headers={"User-Agent": USER_AGENT}
    )
    with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
        return response.status


def _result(status: Evidence.LinkStatus, detail: str) -> LinkCheck:
    return LinkCheck(status, detail[:_DETAIL_LENGTH])


def _check(url: str) -> LinkCheck:
    Status = Evidence.LinkStatus
    try:
        _refuse_unsafe_url(url)
        try:
            code = _status(url, "HEAD")
        except urllib.error.HTTPError as error:
            if error.code not in _ASK_AGAIN_WITH_GET:
                raise
            code = _status(url, "GET")
    except RefusedAddress as error:
        return _result(Status.REFUSED, str(error))
    except urllib.error.HTTPError as error:
        gone = error.code in _GONE
        return _result(
            Status.BROKEN if gone else Status.UNREACHABLE, f"HTTP {error.code}"
        )
    except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
        reason = str(getattr(error, "reason", error))
        return _result(Status.UNREACHABLE, reason or type(error).__name__)
    except (ValueError, UnicodeError):  # e.g. a redirect to a garbled address
        return _result(Status.UNREACHABLE, "the site sent an unreadable address")
    return _result(Status.OK, f"HTTP {code}")


def check_link(url: str) -> LinkCheck:
    """Check one URL and say what readers would find, within ``CHECK_SECONDS``;
    never raises for anything the URL or the far end does."""
    with _Deadline(CHECK_SECONDS) as deadline:
        result = _check(url)
    if deadline.expired and result.status != Evidence.LinkStatus.REFUSED:
        # Cut off mid-answer: whatever it parsed as proves nothing.
        return _result(
            Evidence.LinkStatus.UNREACHABLE,
            f"no complete answer within {CHECK_SECONDS} seconds",
        )
    return result


def check_destination(url: str, *, allow_private: bool) -> None:
    """Raise ``RefusedAddress`` unless ``fetch`` could reach ``url`` now: for a
    form's clear message. ``fetch`` checks again when it connects, since a name
    may resolve elsewhere later."""
    _checking.allow_private = allow_private
    try:
        _refuse_unsafe_url(url)
        host = urlsplit(url).hostname
        try:
            infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError):
            raise RefusedAddress(f"{host} cannot be found") from None
        addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
        if not all(_allowed_address(address) for address in addresses):
            raise RefusedAddress(f"{host} is not a public address")
    finally:
        _checking.allow_private = None


class FetchFailed(Exception):
    """No complete answer: unreachable, too slow or too large."""


@dataclass(frozen=True)
class Fetched:
    status: int
    headers: Message
    body: bytes


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is the answer itself (urllib then raises it as an HTTPError)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_direct_opener = urllib.request.build_opener(
    urllib.request.ProxyHandler({}),
    _CheckedHTTPHandler,
    _CheckedHTTPSHandler(context=ssl.create_default_context()),
    _NoRedirects,
)


def fetch(
    url: str,
    *,
    allow_private: bool,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    data: bytes | None = None,
    max_bytes: int = 5_000_000,
    follow_redirects: bool = True,
    seconds: float = CHECK_SECONDS,
) -> Fetched:
    """One HTTP request under the link check's rules: http(s) on web ports,
    public addresses only (unless ``allow_private``), checked when each socket
    opens and at every redirect, no proxies, all within ``seconds``.

    An error status is an answer, returned like any other. Raises
    ``RefusedAddress`` for a destination the rules refuse and ``FetchFailed``
    when no complete answer came (or it exceeds ``max_bytes``).
    """
    request = urllib.request.Request(
        url,
        data=data,
        method=method,
        headers={"User-Agent": USER_AGENT, **(headers or {})},
    )
    opener = _opener if follow_redirects else _direct_opener
    _checking.allow_private = allow_private
    try:
        with _Deadline(seconds) as deadline:
            try:
                _refuse_unsafe_url(url)
                try:
                    response = opener.open(request, timeout=TIMEOUT_SECONDS)
                except urllib.error.HTTPError as error:
                    response = error  # an answer all the same
                with response:
                    body = response.read(max_bytes + 1) if response.fp else b""
                    answer = Fetched(response.status, response.headers, body)
            except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
                reason = str(getattr(error, "reason", error))
                raise FetchFailed(reason or type(error).__name__) from None
            except (ValueError, UnicodeError):
                raise FetchFailed("the address or the answer cannot be read") from None
    finally:
        _checking.allow_private = None
    if deadline.expired:
        raise FetchFailed(f"no complete answer within {seconds:g} seconds")
    if len(answer.body) > max_bytes:
        raise FetchFailed(f"the answer is larger than {max_bytes:,} bytes")
    return answer

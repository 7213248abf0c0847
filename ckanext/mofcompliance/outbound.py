"""The one guard in front of every request the catalog makes on its own (SSRF).

Used by the GD Catalog status refresh (``harvest/status_api.py``) and the resource checker
(``quality/checker``); no CKAN import, so that ``mofcompliance-audit`` can use it too.

- the host name is resolved once; every address must be public (not private, loopback,
  link-local, the cloud metadata address, multicast or reserved) unless the host or the
  address is allow-listed, and the connection goes to the checked address (no second
  resolution that DNS rebinding could answer differently);
- hosts that opted out (``robots``-style, from configuration) are never asked;
- an address that carries an IPv4 address (IPv4-compatible, IPv4-mapped or -translated,
  NAT64, 6to4, Teredo) is judged by the IPv4 address it carries as well;
- redirects are followed only when the policy allows, each hop checked again like the
  first; connect and read time-outs, and one wall-clock deadline (``total_timeout``) over
  the whole request: connecting, the headers and the body, every hop;
  at most ``max_bytes`` of a body are read;
- at most N requests at a time to one host, and the starts of two requests to one host
  some time apart: the policy's ``Limiter`` (``HostLimiter`` for the threads of one
  process, ``quality.limits.SharedHostLimiter`` for every worker through Redis), keyed by
  the host name alone (every port of a name shares its limit), a slot held as long as its
  request, which the deadline bounds;
- a ``User-Agent`` naming the catalog.
"""
from __future__ import annotations

import ipaddress
import socket
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, ContextManager, Iterator, Mapping, Optional, Protocol
from urllib.parse import SplitResult, urljoin, urlsplit

import urllib3
import urllib3.connection

from .common.deadline import Deadline

Resolver = Callable[[str, int], list]
REDIRECTS = (301, 302, 303, 307, 308)
CHUNK = 64 * 1024


class OutboundError(Exception):
    """A request that was not made or did not complete; ``code`` names why."""
    code = "error"


class BadUrl(OutboundError):
    code = "bad-url"


class RefusedAddress(OutboundError):
    """Refused before connecting: a non-public address, or a host that opted out."""
    code = "refused-address"


class OptedOut(RefusedAddress):
    """The host asked (through the catalog's configuration) not to be checked."""
    code = "opted-out"


class Unreachable(OutboundError):
    code = "unreachable"


class TimedOut(Unreachable):
    code = "timeout"


class TooManyRedirects(OutboundError):
    code = "too-many-redirects"


def system_resolver(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (one DNS lookup)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise Unreachable("หาที่อยู่ของ %s ไม่ได้ / cannot resolve %s: %s"
                          % (host, host, error)) from None
    return [info[4][0] for info in infos]


class Limiter(Protocol):
    """Holds a request to ``host`` until the host's limits allow it; ``hold`` is the
    longest the request can take (its deadline), so a slot is never given up while it
    still runs."""

    def slot(self, host: str, hold: float = ...) -> ContextManager[None]: ...


class HostLimiter:
    """Within one process: at most ``connections`` requests at a time per host, their
    starts ``interval`` seconds apart."""

    def __init__(self, connections: int, interval: float = 0.0) -> None:
        self.connections, self.interval = max(1, connections), max(0.0, interval)
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._next_start: dict[str, float] = {}

    @contextmanager
    def slot(self, host: str, hold: float = 0.0) -> Iterator[None]:
        """``hold`` is not needed here: the slot is returned when the request ends."""
        with self._lock:
            semaphore = self._slots.setdefault(
                host, threading.BoundedSemaphore(self.connections))
        semaphore.acquire()
        try:
            with self._lock:
                now = time.monotonic()
                start = max(now, self._next_start.get(host, 0.0))
                self._next_start[host] = start + self.interval
            if start > now:
                time.sleep(start - now)  # politeness: the host's turn comes later
            yield
        finally:
            semaphore.release()


@dataclass
class Policy:
    """What a caller may ask of the network (see the module's docstring)."""
    allowed_hosts: frozenset = frozenset()
    opted_out_hosts: frozenset = frozenset()
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    total_timeout: float = 120.0  # one deadline over connect, headers and body, all hops
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 0
    user_agent: Optional[str] = None
    resolver: Resolver = system_resolver
    limiter: Optional[Limiter] = None


@dataclass(frozen=True)
class Tail:
    """Who reads a 2xx body on past ``max_bytes``, up to ``limit`` bytes in all, within the
    same deadline: ``read(content_type, head, rest)`` gets the bytes read so far and an
    iterator of the next chunks (never held), and returns what it found (the answer's
    ``tail``). A read cut by the deadline or the server ends it: its ``tail`` is None and
    the answer stands."""
    limit: int
    read: Callable[[Optional[str], bytes, Iterator[bytes]], Any]


@dataclass
class Answer:
    status: int
    headers: Mapping[str, str]   # names in lower case
    url: str                     # the URL that answered (after redirects)
    body: bytes                  # at most ``max_bytes``
    truncated: bool              # the body went on past ``max_bytes`` (not read)
    ttfb_ms: float               # from sending the last request to its status line
    redirects: list[str] = field(default_factory=list)
    tail: Any = None             # what ``Tail.read`` found past ``max_bytes``
    cookies: tuple[str, ...] = ()   # the names of the cookies every hop's answer set


def _port_ok(parts: SplitResult) -> bool:
    try:
        return parts.port is None or parts.port > 0  # urlsplit checks the range when asked
    except ValueError:
        return False


def parse(url: str) -> SplitResult:
    parts = urlsplit(url.strip())
    if (parts.scheme not in ("http", "https") or not parts.hostname or parts.username
            or not _port_ok(parts)):
        raise BadUrl("URL ไม่ถูกต้อง: %s / not a usable http(s) URL: %s" % (url, url))
    return parts


def port_of(parts: SplitResult) -> int:
    return parts.port or (443 if parts.scheme == "https" else 80)


NAT64 = ipaddress.ip_network("64:ff9b::/96")
LOW_32 = 0xFFFFFFFF


def carried_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries, which a host, a gateway or a tunnel
    may deliver to: IPv4-compatible ``::a.b.c.d``, IPv4-translated ``::ffff:0:a.b.c.d``,
    NAT64 ``64:ff9b::a.b.c.d``, 6to4 ``2002:AABB:CCDD::`` and Teredo (its server and
    its client, whose bits are inverted). IPv4-mapped is handled by the caller."""
    value, high = int(ip), int(ip) >> 32
    found = []
    if high == 0 and value > 1:               # ::a.b.c.d (:: and ::1 are judged as IPv6)
        found.append(ipaddress.IPv4Address(value & LOW_32))
    if high == 0xFFFF0000 or ip in NAT64:     # ::ffff:0:a.b.c.d, 64:ff9b::a.b.c.d
        found.append(ipaddress.IPv4Address(value & LOW_32))
    if ip.sixtofour:
        found.append(ip.sixtofour)
    if ip.teredo:
        found.extend(ip.teredo)
    return found


def _public(address: str) -> bool:
    """Global unicast; an IPv6 address carrying IPv4 addresses only if each is too."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            return _public(str(ip.ipv4_mapped))
        if not all(_public(str(carried)) for carried in carried_ipv4(ip)):
            return False
    return ip.is_global and not ip.is_multicast


def _host_in(host: str, hosts: frozenset) -> bool:
    """``host`` or one of its parent domains is listed (``example.go.th`` covers
    ``data.example.go.th``)."""
    labels = host.lower().rstrip(".").split(".")
    return any(".".join(labels[i:]) in hosts for i in range(len(labels)))


def checked_address(host: str, port: int, policy: Policy) -> str:
    """Resolve ``host`` once; refuse it when it opted out, or when any of its addresses
    is not public and the host, as the URL writes it, is not allow-listed (allowing
    ``127.0.0.1`` does not allow a name that resolves to it, such as ``localhost``)."""
    host = host.lower()
    if _host_in(host, policy.opted_out_hosts):
        raise OptedOut("%s ขอไม่ให้ตรวจ (ตั้งค่าไว้) / %s opted out of checks "
                             "(configuration)" % (host, host))
    addresses = policy.resolver(host, port)
    if not addresses:
        raise Unreachable("หาที่อยู่ของ %s ไม่ได้ / cannot resolve %s" % (host, host))
    refused = [a for a in addresses if not _public(a) and host not in policy.allowed_hosts]
    if refused:
        raise RefusedAddress("ไม่ส่งคำขอไปยังที่อยู่ภายใน %s (%s) / refusing non-public "
                             "address %s (%s)" % (host, refused[0], host, refused[0]))
    return addresses[0]


def _connection(parts: SplitResult, address: str, policy: Policy,
                deadline: Deadline) -> urllib3.connection.HTTPConnection:
    timeout = max(0.001, min(policy.connect_timeout, deadline.left()))
    if parts.scheme == "https":
        return urllib3.connection.HTTPSConnection(
            address, port_of(parts), timeout=timeout, cert_reqs="CERT_REQUIRED",
            server_hostname=parts.hostname, assert_hostname=parts.hostname)
    return urllib3.connection.HTTPConnection(address, port_of(parts), timeout=timeout)


def _read(response: urllib3.BaseHTTPResponse, limit: int) -> tuple[bytearray, bool]:
    """The body up to ``limit`` bytes and one more, which tells whether more followed
    (the caller keeps ``limit``; a ``tail`` reads on from the byte after). The buffer
    is made once at the announced length (grown by pieces it would be copied as it
    grows, up to twice its size held at once); none for an answer without a body (HEAD,
    204, 304), whatever its Content-Length says."""
    length = getattr(response, "length_remaining", None)
    body = bytearray(min(length, limit + 1)) if length else bytearray()
    got = 0
    while got <= limit:
        chunk = response.read(min(CHUNK, limit + 1 - got))
        if not chunk:
            break
        body[got:got + len(chunk)] = chunk
        got += len(chunk)
    del body[got:]
    return body, got > limit


def _chunks(response: urllib3.BaseHTTPResponse, limit: int, deadline: Deadline
            ) -> Iterator[bytes]:
    """The body's next ``limit`` bytes, until the deadline (a reader slower than the
    network, whose reads never wait, is stopped too)."""
    while limit > 0:
        if deadline.left() <= 0:
            deadline.passed = True
            return
        chunk = response.read(min(CHUNK, limit))
        if not chunk:
            return
        limit -= len(chunk)
        yield chunk


def _read_tail(connection: urllib3.connection.HTTPConnection,
               response: urllib3.BaseHTTPResponse, head: bytes, tail: Tail,
               deadline: Deadline) -> Any:
    try:
        with deadline.guarding(connection, strict=False):
            found = tail.read(response.headers.get("content-type"), head,
                              _chunks(response, tail.limit - len(head), deadline))
    except (urllib3.exceptions.HTTPError, OSError):
        return None     # cut by the server: the tail is not read
    return None if deadline.passed else found   # cut by the deadline: an end that is none


def _exchange(connection: urllib3.connection.HTTPConnection, method: str, path: str,
              body: Optional[bytes], sent: Mapping[str, str], policy: Policy,
              deadline: Deadline, tail: Optional[Tail] = None) -> Answer:
    with deadline.guarding(connection):  # the TLS handshake too
        connection.connect()
        deadline.sock = connection.sock
        deadline.check()
        connection.timeout = max(0.001, min(policy.read_timeout, deadline.left()))
        started = time.monotonic()
        connection.request(method, path, body=body, headers=sent, preload_content=False,
                           decode_content=False)
        response = connection.getresponse()
        ttfb_ms = (time.monotonic() - started) * 1000
        content, truncated = _read(response, policy.max_bytes)
    found = None
    if truncated and tail is not None and 200 <= response.status < 300:
        found = _read_tail(connection, response, content, tail, deadline)
    del content[policy.max_bytes:]
    return Answer(response.status, {k.lower(): v for k, v in response.headers.items()},
                  "", content, truncated, ttfb_ms, tail=found,
                  cookies=tuple(value.split("=", 1)[0].strip()
                                for value in response.headers.getlist("set-cookie")))


def _once(method: str, parts: SplitResult, policy: Policy, body: Optional[bytes],
          headers: Mapping[str, str], deadline: Deadline, tail: Optional[Tail]) -> Answer:
    address = checked_address(parts.hostname or "", port_of(parts), policy)
    path = (parts.path or "/") + ("?" + parts.query if parts.query else "")
    sent = {"Host": parts.netloc, "Accept-Encoding": "identity", **headers}
    if policy.user_agent:
        sent["User-Agent"] = policy.user_agent
    connection = None
    try:
        deadline.check()
        connection = _connection(parts, address, policy, deadline)
        answer = _exchange(connection, method, path, body, sent, policy, deadline, tail)
    except (urllib3.exceptions.HTTPError, OSError) as error:
        refused = isinstance(error, urllib3.exceptions.NewConnectionError)
        if deadline.passed or (not refused and isinstance(error, (
                urllib3.exceptions.ConnectTimeoutError, urllib3.exceptions.ReadTimeoutError,
                socket.timeout))):
            raise TimedOut("หมดเวลารอ %s / %s did not answer in time: %s"
                           % (parts.hostname, parts.hostname, error)) from None
        raise Unreachable("ติดต่อ %s ไม่ได้ / %s unreachable: %s"
                          % (parts.hostname, parts.hostname, error)) from None
    finally:
        if connection is not None:
            connection.close()
    answer.url = parts.geturl()
    return answer


def limit_key(parts: SplitResult) -> str:
    """The per-host limits' key: the host name as the URL writes it, in lower case; every
    port of a name shares its limit (one machine, one operator)."""
    return (parts.hostname or "").lower()


LEASE_GRACE = 30.0  # seconds a slot outlives its deadline: name resolution, closing


def request(method: str, url: str, policy: Policy, body: Optional[bytes] = None,
            headers: Optional[Mapping[str, str]] = None, tail: Optional[Tail] = None
            ) -> Answer:
    """One request under ``policy``; redirects (up to ``max_redirects``) are followed
    with GET, each new address checked before it is connected to. One deadline
    (``total_timeout``, from when the first hop's slot is taken) bounds every hop, and
    ``tail``'s reading past ``max_bytes``."""
    parts, hops = parse(url), []  # type: tuple[SplitResult, list[str]]
    deadline: Optional[Deadline] = None
    cookies: tuple[str, ...] = ()
    while True:
        if policy.limiter is not None:
            hold = (deadline.left() if deadline else policy.total_timeout) + LEASE_GRACE
            with policy.limiter.slot(limit_key(parts), hold):
                deadline = deadline or Deadline(policy.total_timeout)
                answer = _once(method, parts, policy, body, headers or {}, deadline, tail)
        else:
            deadline = deadline or Deadline(policy.total_timeout)
            answer = _once(method, parts, policy, body, headers or {}, deadline, tail)
        location = answer.headers.get("location")
        cookies = answer.cookies = cookies + answer.cookies
        if answer.status not in REDIRECTS or not location or policy.max_redirects == 0:
            answer.redirects = hops
            return answer
        if len(hops) >= policy.max_redirects:
            raise TooManyRedirects("เปลี่ยนเส้นทางเกิน %d ครั้ง / more than %d redirects"
                                   % (policy.max_redirects, policy.max_redirects))
        hops.append(answer.url)
        parts = parse(urljoin(answer.url, location))
        if method not in ("GET", "HEAD") or (answer.status == 303 and method != "HEAD"):
            method, body = "GET", None

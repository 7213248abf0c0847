"""Real HTTP servers on 127.0.0.1 that play the hosts a checker meets."""
from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Iterable, Union

import pytest

# The checker may reach these servers (loopback is refused unless allow-listed) at once.
ALLOWED = [pytest.mark.ckan_config("ckanext.mofcompliance.quality.allowed_hosts", "127.0.0.1"),
           pytest.mark.ckan_config("ckanext.mofcompliance.quality.host_interval_ms", "0")]
GOOD_CSV = b"year,amount\n2566,10\n2567,20\n"

Body = Union[bytes, Iterable[bytes]]
# path -> (status, headers, body); a body may be an iterable of chunks (never held whole)
Route = tuple[int, dict, Body]


class Site(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.routes: dict[str, Union[Route, Callable[[], Route]]] = {}
        self.requests: list[tuple[str, str, dict]] = []
        self.head_status: dict[str, int] = {}

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return "http://%s:%d%s" % (host, self.server_port, path)


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.server.requests.append((self.command, self.path, dict(self.headers)))
        route = self.server.routes.get(self.path, (404, {"Content-Type": "text/html"},
                                                   b"<html><body>Not found</body></html>"))
        status, headers, body = route() if callable(route) else route
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if isinstance(body, bytes):
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            for chunk in ([body] if isinstance(body, bytes) else body):
                self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the checker stopped reading (the byte cap)

    def do_HEAD(self) -> None:
        """The GET's status and headers without its body; ``site.head_status[path]`` sets
        another status (a server refusing HEAD: 405)."""
        self.server.requests.append((self.command, self.path, dict(self.headers)))
        route = self.server.routes.get(self.path, (404, {"Content-Type": "text/html"}, b""))
        status, headers, body = route() if callable(route) else route
        self.send_response(self.server.head_status.get(self.path, status))
        for name, value in headers.items():
            self.send_header(name, value)
        if isinstance(body, bytes):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


def serve() -> Site:
    site = Site()
    threading.Thread(target=site.serve_forever, daemon=True).start()
    return site


def stop(site: Site) -> None:
    site.shutdown()
    site.server_close()


def silent_port() -> tuple[socket.socket, int]:
    """A socket that takes connections (the kernel's backlog) and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    return listener, listener.getsockname()[1]


class Drip:
    """A hostile server: answers ``head`` then ``body`` one piece at a time, ``pace``
    seconds apart (a header line, or a byte), until done or the client goes away.
    ``sent`` counts what it sent; ``gone`` is set when the client hung up first."""

    def __init__(self, head: list[bytes], body: bytes, pace: float = 0.2) -> None:
        self.head, self.body, self.pace = head, body, pace
        self.sent = 0
        self.gone, self.stopped = threading.Event(), threading.Event()
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(4)
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def url(self, path: str) -> str:
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def pieces(self) -> Iterable[bytes]:
        yield from self.head
        yield from (self.body[i:i + 1] for i in range(len(self.body)))

    def _serve(self) -> None:
        try:
            connection, _ = self.listener.accept()
        except OSError:
            return
        with connection:
            connection.recv(65536)
            for piece in self.pieces():
                if self.stopped.wait(self.pace):  # the hostile pace, not a test's sleep
                    return
                try:
                    connection.sendall(piece)
                except OSError:
                    self.gone.set()
                    return
                self.sent += len(piece)

    def total(self) -> int:
        return sum(len(p) for p in self.head) + len(self.body)

    def stop(self) -> None:
        self.stopped.set()
        self.listener.close()

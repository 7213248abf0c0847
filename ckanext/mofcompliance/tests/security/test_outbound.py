"""Outbound requests: only known, guarded modules of the extension reach the network.

A module that fetches URLs on a user's or an admin's behalf (a link checker, a preview, a
webhook) can be made to probe the internal network (SSRF) unless it goes through the
shared guard ``outbound.py``. This scan fails when such a module appears, so that
it is reviewed and added below with the reason it is safe.
"""
import ast
from pathlib import Path

import pytest

import ckanext.mofcompliance

PACKAGE = Path(ckanext.mofcompliance.__file__).parent
NETWORK_MODULES = ("requests", "urllib.request", "urllib3", "http.client", "httpx", "aiohttp")
NETWORK_CALLS = ("socket.create_connection", "socket.socket", "urllib.request.urlopen")

ALLOWED = {
    "outbound.py":
        "the shared guard every request of the catalog goes through (the GD Catalog status "
        "API, the resource checker): one DNS resolution, public addresses only unless "
        "allow-listed, opted-out hosts never asked, the connection pinned to the checked "
        "address, each redirect hop checked again, a bounded answer, time-outs, a per-host "
        "limit",
    "common/deadline.py":
        "part of the shared guard: the deadline that shuts the guard's own connection's "
        "socket (it names urllib3's connection as a type); it opens none",
    "audit/cli.py":
        "the mofcompliance-audit command: an operator's own client of the catalog URL the "
        "operator types, run with the operator's rights on the operator's machine; no web "
        "page or action of the catalog reaches it",
    "ops/doctor.py":
        "ckan mofcompliance doctor: the operator's command asks the site's own configured "
        "site_url once, with a short time-out; no web page or action of the catalog reaches it",
}


def _dotted(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return base and "%s.%s" % (base, node.attr)
    return None


def _networking(name):
    return any(name == m or name.startswith(m + ".") for m in NETWORK_MODULES + NETWORK_CALLS)


def outbound_uses(source):
    """The network modules a module imports and the socket calls it names."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module] + ["%s.%s" % (node.module, a.name) for a in node.names]
        elif isinstance(node, ast.Attribute):
            names = [_dotted(node) or ""]
        else:
            continue
        found.update(name for name in names if _networking(name))
    return found


def test_only_the_known_guarded_modules_make_outbound_requests():
    modules = {path.relative_to(PACKAGE).as_posix(): outbound_uses(path.read_text("utf-8"))
               for path in sorted(PACKAGE.rglob("*.py")) if "tests" not in path.parts}
    assert {module for module, uses in modules.items() if uses} == set(ALLOWED)


@pytest.mark.parametrize("source", [
    "import requests", "import urllib.request", "from urllib import request",
    "from urllib3.util import Retry", "import http.client as http", "from http import client",
    "import httpx", "from aiohttp import ClientSession",
    "import socket\nsocket.create_connection(('10.0.0.1', 80))",
    "from socket import create_connection", "import urllib\nurllib.request.urlopen(url)",
])
def test_the_scan_sees_each_way_of_reaching_the_network(source):
    assert outbound_uses(source)

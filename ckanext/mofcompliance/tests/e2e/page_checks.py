"""What every page of a journey is held to: no server error, no internal field name shown,
no Thai interface text of the extension under /en/ and no English one under /th/; and
files downloaded with the browser's own session, as its user would get them."""
from __future__ import annotations

import functools
import re
import urllib.request
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po

from ckanext.mofcompliance.standard import definition as std
from ckanext.mofcompliance.kpi import evaluation as kpi

PO = Path(__file__).resolve().parents[2] / "i18n" / "th" / "LC_MESSAGES" / \
    "ckanext-mofcompliance.po"
THAI = re.compile(r"[\u0e00-\u0e7f]")
PLACEHOLDER = re.compile(r"%\([^)]*\)\w|%[sd]|\{[^}]*\}")


def _criterion_ids() -> frozenset[str]:
    return frozenset(c.id for p in kpi.profile_ids() for c in kpi.load_profile(p).criteria)


@functools.lru_cache(maxsize=1)
def _catalog() -> tuple[frozenset[str], frozenset[str]]:
    """The extension's interface texts: (English fragments, Thai fragments), split at
    their placeholders; only fragments long enough not to occur in data by chance."""
    with PO.open("rb") as po:
        catalog = read_po(po)
    english, thai = set(), set()
    for message in catalog:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in ids:
            english.update(f.strip() for f in PLACEHOLDER.split(text)
                           if len(re.findall(r"[A-Za-z]+", f)) >= 3 and not THAI.search(f))
        for text in strings:
            thai.update(f.strip() for f in PLACEHOLDER.split(text)
                        if THAI.search(f) and len(f.strip()) >= 12)
    return frozenset(english), frozenset(thai)


@functools.lru_cache(maxsize=1)
def _field_names() -> frozenset[str]:
    """Names a reader should never see: the standard's fields, the profiles' criteria."""
    fields = [*std.dataset_fields(), *std.resource_fields()]
    names = {f.name for f in fields} | _criterion_ids()
    return frozenset(n for n in names if "_" in n)


def status(browser: Any) -> int:
    """The HTTP status of the page the browser shows."""
    return int(browser.execute_script(
        "return performance.getEntriesByType('navigation')[0].responseStatus"))


def shown_text(browser: Any) -> str:
    """The text a reader sees (folded details and hidden parts left out)."""
    return str(browser.execute_script("return document.body.innerText"))


def problems(browser: Any, lang: str) -> list[str]:
    """Everything wrong with the page shown, as a reader would report it."""
    found = []
    if status(browser) >= 500:
        found.append("HTTP %d" % status(browser))
    text = shown_text(browser)
    found += ["field name %s" % n for n in _field_names() if re.search(r"\b%s\b" % n, text)]
    english, thai = _catalog()
    if lang == "en":
        found += ["Thai under /en/: %s" % t for t in thai if t in text]
    else:
        found += ["English under /th/: %s" % t for t in english if t in text]
    return found


def visit(browser: Any, url: str, lang: str) -> str:
    """Open ``url`` and hold its page to the checks; returns the text shown."""
    browser.get(url)
    found = problems(browser, lang)
    assert found == [], (url, found)
    return shown_text(browser)


def download(browser: Any, url: str) -> tuple[dict[str, str], bytes]:
    """``url`` fetched with the browser's session cookies: (headers, body)."""
    cookies = "; ".join("%s=%s" % (c["name"], c["value"]) for c in browser.get_cookies())
    request = urllib.request.Request(url, headers={"Cookie": cookies})
    with urllib.request.urlopen(request, timeout=60) as response:  # loopback only
        return dict(response.headers.items()), response.read()

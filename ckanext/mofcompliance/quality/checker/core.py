"""One resource checked: reached through the shared outbound guard (or read from the
catalog's own storage), then what it holds. The result is a plain dict (the contract the
grade reads, see ``quality/grading.py``)."""
from __future__ import annotations

import logging
import mimetypes
import os
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, BinaryIO, Callable, Iterator, Mapping, Optional

from ... import outbound
from . import decoding, formats, jsonshape, nso, tabular

log = logging.getLogger(__name__)

# Encodings that are not a problem: UTF-8, with or without its byte-order mark.
UTF8 = ("utf-8", "utf-8-sig", "ascii")
Problem = dict


@dataclass
class Settings:
    policy: outbound.Policy
    max_rows: int = 1000           # tabular validation reads at most this many rows
    max_unpacked: int = 64 * 1024 * 1024  # a workbook's sheet unpacking to more is not opened


@dataclass
class Fetched:
    """What was read of a resource, over HTTP or from storage."""
    http_status: Optional[int]
    final_url: Optional[str]
    ttfb_ms: Optional[float]
    size_bytes: Optional[int]
    content_type: Optional[str]
    body: bytes
    truncated: bool
    tail: Optional[dict[str, Any]] = None   # NSO's reading past max_mb (nso.json_tail)
    cookies: tuple[str, ...] = ()            # the names of the cookies the answers set


def _problem(code: str, detail: str) -> Problem:
    return {"code": code, "detail": detail}


def blank_result(resource: dict[str, Any], now: Optional[datetime] = None) -> dict[str, Any]:
    return {
        "resource_id": resource.get("id"), "url": resource.get("url") or "",
        "checked_at": (now or datetime.now(timezone.utc)).isoformat(),
        "outcome": "error", "http_status": None, "final_url": None, "ttfb_ms": None,
        "size_bytes": None, "truncated": False, "downloadable": False,
        "declared_format": formats.declared(resource.get("format")),
        "detected_format": None, "format_matches": None, "encoding": None,
        "tabular": None, "problems": [],
    }


def _size(headers: Mapping[str, str], body: bytes, truncated: bool) -> Optional[int]:
    """The whole file's size: Content-Range's total (206), Content-Length, or what was
    read when it was read whole."""
    total = headers.get("content-range", "").rpartition("/")[2]
    for value in (total, headers.get("content-length", "")):
        if value.strip().isdigit():
            return int(value)
    return None if truncated else len(body)


def fetch_url(url: str, settings: Settings, declared: str = "") -> Fetched:
    answer = outbound.request("GET", url, settings.policy, headers={"Accept": "*/*"},
                              tail=nso.json_tail(url, declared))
    return Fetched(answer.status, answer.url, round(answer.ttfb_ms, 1),
                   _size(answer.headers, answer.body, answer.truncated),
                   answer.headers.get("content-type"),
                   answer.body, answer.truncated, answer.tail, answer.cookies)


def read_file(path: str, settings: Settings, tail: Optional[outbound.Tail] = None,
              due: Optional[float] = None) -> Fetched:
    """An uploaded file, from the catalog's storage (never over HTTP): at most
    ``max_bytes``, and, past them, what ``tail`` reads on, as the GET of a link would,
    within the check's deadline ``due``."""
    limit, content_type = settings.policy.max_bytes, mimetypes.guess_type(path)[0]
    found, size = None, os.path.getsize(path)
    with open(path, "rb") as source:
        body = bytearray(min(size, limit + 1))   # read into, never copied
        body[source.readinto(body):] = b""
        truncated = len(body) > limit
        if truncated and tail is not None:
            found = _read_on(source, body, tail, content_type, due)
    del body[limit:]
    return Fetched(None, None, None, size, content_type, body, truncated, found)


def _read_on(source: BinaryIO, head: bytes, tail: outbound.Tail,
             content_type: Optional[str], due: Optional[float]) -> Any:
    """What ``tail`` finds in the file past ``head``, up to its limit; None when the
    deadline ``due`` cut the reading (an end that is none)."""
    cut = False

    def chunks() -> Iterator[bytes]:
        nonlocal cut
        left = tail.limit - len(head)
        while left > 0:
            if due is not None and time.monotonic() >= due:
                cut = True
                return
            chunk = source.read(min(outbound.CHUNK, left))
            if not chunk:
                return
            left -= len(chunk)
            yield chunk
    found = tail.read(content_type, head, chunks())
    return None if cut else found


def _reached(result: dict[str, Any], fetched: Fetched) -> bool:
    """Record the answer; False when it is not the file (dead link, empty)."""
    result.update(http_status=fetched.http_status, final_url=fetched.final_url,
                  ttfb_ms=fetched.ttfb_ms, size_bytes=fetched.size_bytes,
                  truncated=fetched.truncated)
    status = fetched.http_status
    if status is not None and not 200 <= status < 300:
        result["outcome"] = "unreachable"
        result["problems"].append(_problem("dead-link", "the server answered HTTP %d" % status))
        return False
    if not fetched.body:
        result["problems"].append(_problem("empty-file", "the file is empty"))
        return False
    return True


def _delimiter(body: bytes, encoding: Optional[str]) -> str:
    """The table's delimiter, from its first rows (a one-column table has none: any)."""
    head = decoding.decoded(body[:formats.HEAD], encoding)
    return decoding.sniff_delimiter(decoding.complete_lines(head, len(body) > formats.HEAD)) \
        or ","


def _late(settings: Settings) -> Problem:
    return _problem("check-timeout", "the check's %g s deadline passed while the file was read"
                    % settings.policy.total_timeout)


def _tabular(result: dict[str, Any], fetched: Fetched, settings: Settings,
             due: float) -> None:
    """The table's validation, within the check's deadline ``due``: cut by it, the file
    is recorded as not validated, with a ``check-timeout`` problem."""
    try:
        _validate(result, fetched, settings, due)
    except tabular.Late:
        result["tabular"] = tabular.not_validated("not read within the check's deadline")
        if "check-timeout" not in [p["code"] for p in result["problems"]]:  # NSO's count
            result["problems"].append(_late(settings))


def _validate(result: dict[str, Any], fetched: Fetched, settings: Settings,
              due: float) -> None:
    kind, encoding = result["detected_format"], result["encoding"]
    if kind in ("CSV", "TSV"):
        result["tabular"] = tabular.validate_delimited(
            fetched.body, encoding, fetched.truncated, _delimiter(fetched.body, encoding),
            settings.max_rows, due)
    elif kind in ("XLSX", "JSON") and fetched.truncated:
        result["tabular"] = tabular.not_validated(
            "only the first %d bytes were read" % len(fetched.body))
        result["problems"].append(_problem(
            "too-large", "larger than the %d bytes the checker reads; not opened"
            % len(fetched.body)))
    elif kind == "XLSX":
        result["tabular"] = tabular.validate_xlsx(fetched.body, settings.max_rows,
                                                  settings.max_unpacked, due)
        if not result["tabular"]["validated"]:
            result["problems"].append(_problem(
                "too-large", result["tabular"]["errors"][0]["message"]))
    elif kind == "JSON":
        result["tabular"] = jsonshape.validate_json(fetched.body, encoding, due)
    table = result["tabular"]
    if table and table["validated"] and not table["valid"]:
        code = "tabular-errors" if kind in ("CSV", "TSV") else "unparsable"
        result["problems"].append(_problem(code, "; ".join(
            e["message"] for e in table["errors"][:3])))


def _contents(result: dict[str, Any], fetched: Fetched, settings: Settings,
              due: float) -> None:
    declared = result["declared_format"]
    finding = formats.detect(fetched.body, fetched.content_type, declared)
    detected = finding.kind
    result.update(detected_format=detected, format_matches=formats.matches(declared, finding))
    if detected == "HTML" and formats.promises_file(declared):
        result["problems"].append(_problem(
            "html-instead-of-file", "a web page was served where a %s file was promised"
            % declared))
        return
    result["downloadable"] = True
    if result["format_matches"] is False:
        result["problems"].append(_problem(
            "format-mismatch", "declared %s, found %s" % (declared, detected)))
    if detected in ("CSV", "TSV", "JSON", "TXT", "XML"):
        result["encoding"] = decoding.encoding_of(fetched.body)
        if detected in ("CSV", "TSV") and result["encoding"] not in UTF8:
            result["problems"].append(_problem(
                "not-utf8", "the text is encoded as %s, not UTF-8" % result["encoding"]))
    _tabular(result, fetched, settings, due)


def check(resource: dict[str, Any], settings: Settings,
          upload_path: Optional[Callable[[dict[str, Any]], Optional[str]]] = None,
          now: Optional[datetime] = None) -> dict[str, Any]:
    """Check one resource (a dict with ``id``, ``url``, ``format``, ``url_type``).
    Never raises: a failure of the checker itself is recorded as outcome ``error``."""
    result = blank_result(resource, now)
    try:
        _check(result, resource, settings, upload_path)
    except Exception as error:  # one resource's failure must not end a sweep
        log.exception("checking resource %s failed", resource.get("id"))
        result["outcome"] = "error"
        result["problems"].append(_problem("checker-error", type(error).__name__))
    return result


def _check(result: dict[str, Any], resource: dict[str, Any], settings: Settings,
           upload_path: Optional[Callable[[dict[str, Any]], Optional[str]]]) -> None:
    url, declared = resource.get("url") or "", str(resource.get("format") or "")
    due = time.monotonic() + settings.policy.total_timeout   # the check's one deadline
    try:
        if resource.get("url_type") == "upload" and upload_path is not None:
            path = upload_path(resource)
            if not path or not os.path.isfile(path):
                result["outcome"] = "unreachable"
                result["problems"].append(_problem(
                    "dead-link", "the uploaded file is missing from storage"))
                return
            fetched = read_file(path, settings, nso.json_tail(url, declared), due)
            head = (200, fetched.content_type, ())  # the catalog's own download answers HEAD
        else:
            result["nso"] = nso.reading(url, declared, None, None)  # until a HEAD answers
            started = time.monotonic()
            fetched = fetch_url(url, settings, declared)
            head = nso.head(url, settings.policy, time.monotonic() - started)
        status, content_type, cookies = head
        result["nso"] = nso.reading(url, declared, status, content_type, fetched.body,
                                    fetched.truncated, fetched.tail, due,
                                    cookies + fetched.cookies)
    except outbound.RefusedAddress as error:
        result["outcome"] = "refused"
        result["problems"].append(_problem(error.code, str(error)))
        return
    except outbound.OutboundError as error:
        result["outcome"] = "unreachable"
        code = {"timeout": "timeout", "too-many-redirects": "too-many-redirects",
                "bad-url": "bad-url"}.get(error.code, "dead-link")
        result["problems"].append(_problem(code, str(error)))
        return
    if (result["nso"].get("table") or {}).get("valid", False) is None:  # cut by ``due``
        result["problems"].append(_late(settings))
    if _reached(result, fetched):
        _contents(result, fetched, settings, due)
    if result["outcome"] == "error":
        result["outcome"] = "problem" if result["problems"] else "ok"

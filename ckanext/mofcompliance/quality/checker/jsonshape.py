"""Whether a JSON body the checker read parses (the checker's own finding; NSO's reading
past ``max_mb`` is ``jsonscan``'s). A body over 1 MB is parsed for its shape: its strings
and numbers made ``""`` and ``0``, then its flat objects and flat arrays (members or
elements that are all such values) made ``null``, so that a file of millions of values is
never built as millions of values: a 10 MB array of two million strings is shaped in its
own buffer and never parsed as a list (``json.loads`` of a separate shape built a 16 MB
list beside the shape's 6 MB)."""
from __future__ import annotations

import codecs
import json
import re
from typing import Any, Optional

from .decoding import decoded
from .tabular import on_time, unreadable

# a number only as a whole token (``--1``, ``01`` or ``1.5e31.5`` must not shape to a
# valid ``-0``, ``00`` or ``0.5``)
JSON_SCALAR = re.compile(rb'"(?:[^"\\\x00-\x1f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"'
                         rb"|(?<![0-9A-Za-z.+-])-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?"
                         rb"(?![0-9A-Za-z.+-])")
SHAPE_ONLY = 1024 * 1024  # bytes of JSON past which only its shape is parsed
SCALARS_BETWEEN_CLOCKS = 65536  # values shaped between two looks at the deadline
_WS = rb"[ \t\n\r]*"
_VALUE = rb'(?:""|0|true|false|null|NaN|-?Infinity)'   # a value once shaped
_MEMBER = rb'""' + _WS + rb":" + _WS + _VALUE + _WS
# possessive repetitions (``*+``): nothing to backtrack into, whatever the length
FLAT_OBJECT = re.compile(rb"\{" + _WS + rb"(?:" + _MEMBER + rb"," + _WS + rb")*+"
                         + _MEMBER + rb"\}|\{" + _WS + rb"\}")
FLAT_ARRAY = re.compile(rb"\[" + _WS + rb"(?:" + _VALUE + _WS + rb"," + _WS + rb")*+"
                        + _VALUE + _WS + rb"\]|\[" + _WS + rb"\]")
EMPTY_ARRAY = re.compile(rb"\[" + _WS + rb"\]")
LEADING_WS = re.compile(_WS)
CHUNK = 64 * 1024
QUOTES, ZERO = b'""', b"0"


def _nothing(_pairs: Any) -> None:
    """An object's members are not kept: only whether the text parses matters."""


def _shape(text: bytearray, start: int, due: Optional[float]) -> bytearray:
    """``text`` from ``start`` with every valid string made ``""`` and every valid number
    ``0`` (an invalid one stays, and fails): as valid or invalid as it was, and parsed
    without building millions of values. Shaped in place (``text`` is consumed): a shape
    is never longer than its text, so it is written over the text already scanned (a
    token written where the scan has been keeps the class of the byte it replaces, which
    the number pattern's look-behind reads). Stopped (``Late``) at the deadline ``due``."""
    write, last = 0, start
    with memoryview(text) as view:
        for number, scalar in enumerate(JSON_SCALAR.finditer(text, start)):
            if number % SCALARS_BETWEEN_CLOCKS == 0:
                on_time(due)
            begin, end = scalar.span()
            token = QUOTES if view[begin] == 0x22 else ZERO
            if write == last:                   # nothing shrunk yet: the gap stays in place
                write = begin
            else:
                view[write:write + begin - last] = view[last:begin]   # a move (memmove)
                write += begin - last
            view[write:write + len(token)] = token
            write, last = write + len(token), end
        view[write:write + len(text) - last] = view[last:]
        write += len(text) - last
    on_time(due)
    try:
        del text[write:]
    except BufferError:     # a reader still holds a view of the body: a copy, then
        return text[:write]
    return text


def _rows_of_shape(shape: bytearray) -> int:
    """The top-level values of a shape (the elements of an array, else 1), parsed with
    its flat objects, then its flat arrays, made ``null``: a value wherever a value may
    be, and a word no neighbour can join into a token (``-0``, ``1.0``, ``1e0`` could),
    so the text stays as valid or invalid as it was, its nesting at most two levels
    shallower (Python's depth limit is judged approximately). Only when every quote
    left is an empty string's: flat-looking text inside a string that did not shape
    (invalid) must stay as it is. Raises ``json.JSONDecodeError``."""
    if shape.count(b'"') != 2 * shape.count(b'""'):
        value = json.loads(shape, object_pairs_hook=_nothing)
        return len(value) if isinstance(value, list) else 1
    text: bytes | bytearray = shape
    if FLAT_OBJECT.search(shape):       # else no copy of the shape
        text = FLAT_OBJECT.sub(b"null", shape)
        del shape[:]
    start, end = _trimmed(text)
    if FLAT_ARRAY.fullmatch(text, start, end):        # an array of values: not parsed
        return 0 if EMPTY_ARRAY.fullmatch(text, start, end) else \
            text.count(b",", start, end) + 1
    value = json.loads(FLAT_ARRAY.sub(b"null", text), object_pairs_hook=_nothing)
    return len(value) if isinstance(value, list) else 1


def _trimmed(text: bytes | bytearray) -> tuple[int, int]:
    """Where ``text`` begins and ends without its white space (``strip`` would copy it)."""
    start, end = LEADING_WS.match(text).end(), len(text)    # type: ignore[union-attr]
    while end > start:
        piece = bytes(text[max(start, end - CHUNK):end])
        kept = len(piece.rstrip(b" \t\n\r"))
        end -= len(piece) - kept
        if kept:
            break
    return start, end


def validate_json(body: bytes, encoding: Optional[str],
                  due: Optional[float] = None) -> dict[str, Any]:
    """That the text parses; objects are dropped as they are read. A large text is
    parsed for its shape (``_shape``), within the check's deadline ``due`` (``Late``):
    a ``bytearray`` of UTF-8 (the check's own buffer, of which this is the last reading)
    is shaped in place, anything else in a copy."""
    shape_only = len(body) > SHAPE_ONLY
    try:
        if shape_only:
            utf8 = body if encoding in (None, "utf-8", "ascii") else \
                decoded(body, encoding).encode("utf-8")
            text = utf8 if isinstance(utf8, bytearray) else bytearray(utf8)
            bom = len(codecs.BOM_UTF8) if text.startswith(codecs.BOM_UTF8) else 0
            rows = _rows_of_shape(_shape(text, bom, due))
        else:
            value = json.loads(decoded(body, encoding).lstrip("\ufeff"),
                               object_pairs_hook=_nothing)
            rows = len(value) if isinstance(value, list) else 1
    except json.JSONDecodeError as error:
        return unreadable("unparsable", "not valid JSON: %s" % (
            error.msg if shape_only else error))
    except (RecursionError, UnicodeDecodeError) as error:
        return unreadable("unparsable", "not valid JSON: %s" % type(error).__name__)
    return {"validated": True, "valid": True, "error_count": 0, "rows_checked": rows,
            "errors": []}

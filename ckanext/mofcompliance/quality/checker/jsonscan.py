"""Whether a JSON text of any size parses as Python's ``json.load`` parses it (NSO's
validator), read chunk by chunk and keeping nothing of it: no string, no number, no
container, only the nesting (up to Python's recursion depth) and an unfinished token.

Python's reading, beyond RFC 8259: ``NaN``, ``Infinity`` and ``-Infinity`` are numbers;
a control character inside a string, an integer of more than 4,300 digits (its
``int_max_str_digits``) and nesting deeper than its recursion limit make the text invalid.
A single number or literal longer than ``MAX_TOKEN`` characters is counted invalid too
(Python would parse a million-digit fraction; no real file has one). Nesting is judged
approximately: Python's limit depends on its caller's own depth.

A container the chunk holds whole is parsed by Python's own C scanner and dropped; one
the chunk cuts is entered and read value by value, so a file of any size costs one chunk
and the nesting."""
from __future__ import annotations

import json
import re
from typing import Optional

MAX_DEPTH = 975             # json.loads nesting: 996 from a bare interpreter, 965 thirty frames down
MAX_INT_DIGITS = 4300       # sys.int_info.default_max_str_digits
MAX_TOKEN = 1024 * 1024     # characters of one number or literal kept while it is cut

WHITESPACE = re.compile(r"[ \t\n\r]*")
TOKEN = re.compile(r"""
    (?P<p>[{}\[\]:,])
  | (?P<s>"[^"\\\x00-\x1f]*(?:\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\\x00-\x1f]*)*")
  | (?P<n>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)
  | (?P<l>true|false|null|NaN|Infinity|-Infinity)
""", re.VERBOSE)
CUT = re.compile(r"""-?(?:[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]*)?)?
  | t(?:r(?:ue?)?)? | f(?:a(?:l(?:se?)?)?)? | n(?:u(?:ll?)?)? | N(?:aN?)?
  | -?I(?:n(?:f(?:i(?:n(?:i(?:ty?)?)?)?)?)?)?""", re.VERBOSE)   # a token's beginning
# a string's characters, unrolled (a character class repeated keeps no state per character)
STRING_PART = re.compile(r'[^"\\\x00-\x1f]*(?:\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\\x00-\x1f]*)*')
INTEGER = re.compile(r"-?([0-9]+)")
VALUES = ("s", "n", "l")


SCAN_ONCE = json.scanner.make_scanner(json.JSONDecoder())   # type: ignore[attr-defined]


def _whole_value(text: str, position: int) -> Optional[int]:
    """Where the container at ``position`` ends when the text holds all of it and Python
    parses it (in C, dropped at once); None otherwise (cut by the chunk's end, too deep,
    or wrong somewhere: then read token by token)."""
    try:
        return SCAN_ONCE(text, position)[1]
    except (StopIteration, ValueError, RecursionError):
        return None


class JsonScan:
    """Feed text with ``feed``; ``valid()`` at the end. Once invalid, the rest is ignored."""

    def __init__(self) -> None:
        self.stack: list[str] = []
        self.expect = "value"      # value, first-value, first-key, key, colon, next, done
        self.carry = ""            # an unfinished number or literal, or escape in a string
        self.in_string = False
        self.invalid = False

    def feed(self, text: str) -> None:
        if self.invalid:
            return
        text, self.carry = self.carry + text, ""
        position = self._string_rest(text, 0, final=False) if self.in_string else 0
        while position is not None and position < len(text) and not self.invalid:
            position = self._next(text, WHITESPACE.match(text, position).end(), final=False)

    def valid(self) -> bool:
        """Whether the whole text fed was one JSON value."""
        if not self.invalid and self.carry:
            text, self.carry = self.carry, ""
            if self.in_string:
                self.invalid = True
            else:
                position: Optional[int] = 0
                while position is not None and position < len(text) and not self.invalid:
                    position = self._next(text, WHITESPACE.match(text, position).end(),
                                          final=True)
        return not self.invalid and not self.in_string and self.expect == "done"

    def _next(self, text: str, position: int, final: bool) -> Optional[int]:
        """Read the token at ``position``; the position after it, or None when the rest
        is kept for the next chunk."""
        if position >= len(text):
            return position
        if text[position] == '"':
            found = TOKEN.match(text, position)
            if found is None or found.lastgroup != "s":   # cut inside it, or a bad one
                self._token("s")
                self.in_string = True
                return self._string_rest(text, position + 1, final)
            self._token("s")
            return found.end()
        if text[position] in "{[" and self.expect in ("value", "first-value"):
            end = _whole_value(text, position)
            if end is not None:
                self._after_value()
                return end
        if not final and CUT.fullmatch(text, position):   # the next chunk may finish it
            if len(text) - position > MAX_TOKEN:
                self.invalid = True
                return None
            self.carry = text[position:]
            return None
        found = TOKEN.match(text, position)
        if found is None:
            self.invalid = True
            return None
        self._token(found.lastgroup or "", found.group())
        return found.end()

    def _string_rest(self, text: str, position: int, final: bool) -> Optional[int]:
        """Inside a string: up to its closing quote, an error, or the chunk's end (an
        escape cut there is kept)."""
        end = STRING_PART.match(text, position).end()
        if end < len(text) and text[end] == '"':
            self.in_string = False
            return end + 1
        rest = text[end:]
        if end == len(text) or (rest.startswith("\\") and len(rest) < 6 and not final
                                and re.fullmatch(r'\\(?:u[0-9a-fA-F]{0,3})?', rest)):
            self.carry = rest
            return None
        self.invalid = True
        return None

    def _token(self, kind: str, text: str = "") -> None:
        if kind == "n" and len(INTEGER.match(text).group(1)) > MAX_INT_DIGITS \
                and not any(c in text for c in ".eE"):
            self.invalid = True
            return
        expect, token = self.expect, text if kind == "p" else kind
        if expect in ("value", "first-value"):
            self._value(token, expect == "first-value")
        elif expect in ("first-key", "key"):
            if token == "s":
                self.expect = "colon"
            elif token == "}" and expect == "first-key":
                self._close("{")
            else:
                self.invalid = True
        elif expect == "colon":
            self._expect(token == ":", "value")
        elif expect == "next" and token == ",":
            self.expect = "key" if self.stack[-1] == "{" else "value"
        elif expect == "next" and token in "}]":
            self._close("{" if token == "}" else "[")
        else:
            self.invalid = True

    def _value(self, token: str, may_close: bool) -> None:
        if token in VALUES:
            self._after_value()
        elif token in "{[" and len(self.stack) < MAX_DEPTH:
            self.stack.append(token)
            self.expect = "first-key" if token == "{" else "first-value"
        elif token == "]" and may_close:
            self._close("[")
        else:
            self.invalid = True

    def _close(self, opener: str) -> None:
        if self.stack and self.stack[-1] == opener:
            self.stack.pop()
            self._after_value()
        else:
            self.invalid = True

    def _after_value(self) -> None:
        self.expect = "next" if self.stack else "done"

    def _expect(self, ok: bool, then: str) -> None:
        if ok:
            self.expect = then
        else:
            self.invalid = True

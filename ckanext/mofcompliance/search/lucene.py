"""A parser for the subset of Lucene/Solr query syntax that CKAN and its clients send.

The forms come from CKAN 2.11/2.12 core and ckanext-harvest (the README's "Search
without Solr" lists them): ``*:*``, bare words and ``"phrases"``,
``field:value``, ``field:"value"``, ``+field:value`` / ``-field:value`` / ``NOT``,
``field:(a OR b)``, ``(a OR b)``, ``AND`` / ``OR`` / ``&&`` / ``||``, prefix
wildcards ``field:abc*`` and ``field:*``, and ranges ``field:[A TO B]`` /
``{A TO B}`` with ``*`` for an open end. Operators that change how a clause is scored or
matched are parsed too, never taken as text: a boost ``clause^2`` (:class:`Boost`),
fuzzy ``word~`` / ``word~1`` and proximity ``"a b"~3`` (``Term.fuzzy`` / ``Term.slop``);
:mod:`.sql` decides which it supports.

Juxtaposed clauses are joined with AND, because CKAN sends ``q.op=AND``;
``AND`` binds tighter than ``OR``.  The result is a small tree of the node
classes below, which :mod:`.sql` turns into a parameterised WHERE clause.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Union


class QuerySyntaxError(ValueError):
    """The query cannot be parsed."""


class UnsupportedOperator(QuerySyntaxError):
    """The query uses an operator the search does not support where it is used."""

    def __init__(self, operator: str, example: str, field: Optional[str] = None) -> None:
        super().__init__("%s (%s) is not supported%s" % (
            operator, example, " on field %s" % field if field else ""))
        self.operator, self.example, self.field = operator, example, field


@dataclass(frozen=True)
class MatchAll:
    pass


@dataclass(frozen=True)
class Term:
    """A value to match: ``field`` is None for full text."""
    field: Optional[str]
    value: str
    phrase: bool = False
    fuzzy: Optional[float] = None   # word~ (2 edits, as Lucene) or word~N
    slop: Optional[int] = None      # "a b"~N: words at most N positions apart

    @property
    def is_wildcard(self) -> bool:
        return not self.phrase and self.value.endswith("*")


@dataclass(frozen=True)
class Range:
    field: str
    low: Optional[str]
    high: Optional[str]
    include_low: bool
    include_high: bool


@dataclass(frozen=True)
class Boost:
    """``node^factor``: matches as ``node``; its relevance counts ``factor`` times."""
    node: "Node"
    factor: float


@dataclass(frozen=True)
class Not:
    node: "Node"


@dataclass(frozen=True)
class And:
    nodes: tuple["Node", ...]


@dataclass(frozen=True)
class Or:
    nodes: tuple["Node", ...]


Node = Union[MatchAll, Term, Range, Boost, Not, And, Or]

_SPECIAL = set('()[]{}"^~')
_NUMBER = re.compile(r"\d+(?:\.\d+)?|\.\d+")
_OPERATORS = {"AND": "AND", "&&": "AND", "OR": "OR", "||": "OR", "NOT": "NOT"}


@dataclass(frozen=True)
class _Token:
    kind: str  # WORD, PHRASE, FIELD, LPAREN, RPAREN, RANGE, AND, OR, NOT, PLUS, MINUS,
    # BOOST, TILDE (extra: the number after ^ or ~, None when ~ has none)
    text: str = ""
    extra: tuple = ()


def _read_word(text: str, i: int) -> tuple[str, int, bool]:
    """Read an unquoted word; stop at an unescaped ':' (returns True then)."""
    out = []
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
            continue
        if c.isspace() or c in _SPECIAL:
            break
        if c == ":":
            return "".join(out), i + 1, True
        out.append(c)
        i += 1
    return "".join(out), i, False


def _read_phrase(text: str, i: int) -> tuple[str, int]:
    out = []
    i += 1
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
            continue
        if c == '"':
            return "".join(out), i + 1
        out.append(c)
        i += 1
    raise QuerySyntaxError("unterminated phrase")


def _read_range(text: str, i: int) -> tuple[_Token, int]:
    closing = {"[": "]", "{": "}"}
    include_low = text[i] == "["
    end = i + 1
    while end < len(text) and text[end] not in "]}":
        end += 1
    if end >= len(text):
        raise QuerySyntaxError("unterminated range")
    parts = text[i + 1:end].split()
    if len(parts) != 3 or parts[1].upper() != "TO":
        raise QuerySyntaxError("a range is written [low TO high]")
    include_high = text[end] == closing["["]
    low, high = (None if v == "*" else v.strip('"') for v in (parts[0], parts[2]))
    return _Token("RANGE", extra=(low, high, include_low, include_high)), end + 1


def tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c.isspace():
            i += 1
        elif c == "(":
            tokens.append(_Token("LPAREN"))
            i += 1
        elif c == ")":
            tokens.append(_Token("RPAREN"))
            i += 1
        elif c in "[{":
            token, i = _read_range(text, i)
            tokens.append(token)
        elif c in "]}":
            raise QuerySyntaxError("unexpected %r" % c)
        elif c == '"':
            phrase, i = _read_phrase(text, i)
            tokens.append(_Token("PHRASE", phrase))
        elif c in "^~":
            number = _NUMBER.match(text, i + 1)
            if c == "^" and not number:
                raise QuerySyntaxError("a boost is written clause^number")
            value = float(number.group()) if number else None
            tokens.append(_Token("BOOST" if c == "^" else "TILDE", text[i:number.end()]
                                 if number else c, (value,)))
            i = number.end() if number else i + 1
        elif c in "+-!" and i + 1 < len(text) and not text[i + 1].isspace():
            tokens.append(_Token("MINUS" if c in "-!" else "PLUS"))
            i += 1
        else:
            word, i, is_field = _read_word(text, i)
            if is_field:
                tokens.append(_Token("FIELD", word))
            elif word in _OPERATORS:
                tokens.append(_Token(_OPERATORS[word]))
            elif word:
                tokens.append(_Token("WORD", word))
            else:
                i += 1
    return tokens


class _Parser:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> Optional[_Token]:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def kind(self) -> Optional[str]:
        """The next token's kind (None at the end)."""
        token = self.peek()
        return token.kind if token else None

    def take(self) -> _Token:
        token = self.peek()
        if token is None:
            raise QuerySyntaxError("unexpected end of query")
        self.pos += 1
        return token

    def parse(self) -> Node:
        node = self.or_expr(field=None)
        if self.kind() is not None:
            raise QuerySyntaxError("unexpected %s" % self.kind())
        return node

    def or_expr(self, field: Optional[str]) -> Node:
        nodes = [self.and_expr(field)]
        while self.kind() == "OR":
            self.take()
            nodes.append(self.and_expr(field))
        return nodes[0] if len(nodes) == 1 else Or(tuple(nodes))

    def and_expr(self, field: Optional[str]) -> Node:
        nodes = [self.clause(field)]
        while self.kind() not in (None, "OR", "RPAREN"):
            if self.kind() == "AND":
                self.take()
            nodes.append(self.clause(field))
        return nodes[0] if len(nodes) == 1 else And(tuple(nodes))

    def clause(self, field: Optional[str]) -> Node:
        token = self.peek()
        if token and token.kind in ("PLUS", "MINUS", "NOT"):
            self.take()
            node = self.clause(field)
            return Not(node) if token.kind != "PLUS" else node
        return self.primary(field)

    def primary(self, field: Optional[str]) -> Node:
        node = self.operand(field)
        while self.kind() in ("BOOST", "TILDE"):
            node = self.modified(node, self.take())
        return node

    @staticmethod
    def modified(node: Node, token: _Token) -> Node:
        """``node`` with the ``^`` or ``~`` that follows it."""
        (number,) = token.extra
        if token.kind == "BOOST":
            return Boost(node, number)
        if not isinstance(node, Term) or node.fuzzy is not None or node.slop is not None:
            raise QuerySyntaxError("~ follows a word (fuzzy) or a phrase (proximity)")
        if node.phrase:
            if number is not None and number != int(number):
                raise QuerySyntaxError("proximity is written \"words\"~N with a whole N")
            return Term(node.field, node.value, phrase=True, slop=int(number or 0))
        return Term(node.field, node.value, fuzzy=2.0 if number is None else number)

    def operand(self, field: Optional[str]) -> Node:
        token = self.take()
        if token.kind == "LPAREN":
            node = self.or_expr(field)
            if self.take().kind != "RPAREN":
                raise QuerySyntaxError("missing ')'")
            return node
        if token.kind == "FIELD":
            if field is not None:
                raise QuerySyntaxError("nested field %r" % token.text)
            return self.primary(token.text)
        if token.kind == "RANGE":
            if field is None:
                raise QuerySyntaxError("a range needs a field")
            return Range(field, *token.extra)
        if token.kind == "PHRASE":
            return Term(field, token.text, phrase=True)
        if token.kind == "WORD":
            if token.text == "*" and field in (None, "*"):
                return MatchAll()
            return Term(None if field == "*" else field, token.text)
        raise QuerySyntaxError("unexpected %s" % token.kind)


def parse(text: str) -> Node:
    """Parse ``text``; an empty query matches everything."""
    tokens = tokenize(text or "")
    if not tokens:
        return MatchAll()
    return _Parser(tokens).parse()

"""Nesting limits checked before any parser sees a text: SPARQL, JSON(-LD) and XML.

Parsers recurse once per level of nesting. Oxigraph's SPARQL and JSON-LD
parsers overflow the stack of the process (SIGSEGV, no exception) at a few
thousand levels (2,500 nested ``{`` in a query; a 185 KB JSON-LD file nested
5,000 deep), and its RDF/XML parser slows down with the square of the depth
(40,000 levels: 30 s). Real queries and files nest a few levels deep, so a text
nested deeper than a limit (default :data:`MAX_NESTING`) is refused with a
message that says where, before any parser runs.

The counts are made by small scanners that only need to find brackets outside
strings and comments. They err on the safe side: an opening bracket inside
text the scanner skips as a string, comment or IRI still counts for the
deepest point inside that text, and closing brackets there only close what was
opened there, so a scanner that skipped too much can only over-count.
"""

from __future__ import annotations

import re

from .errors import DataError, UserError

#: The deepest nesting accepted (brackets of all kinds together).
MAX_NESTING = 64

_OPEN = "{(["
_CLOSE = "})]"
_SPARQL_IRI = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
#: SPARQL codepoint escapes, replaced before parsing (SPARQL 1.1 Query, 19.2)
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


class TooDeep(UserError):
    """A text nests deeper than the limit; ``line`` is where the limit was passed."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def unescape_codepoints(text: str) -> str:
    r"""``text`` with every ``\uXXXX`` and ``\UXXXXXXXX`` replaced by its character,
    as SPARQL parsers do before they parse (invalid code points are left as they are)."""

    def one(m: re.Match[str]) -> str:
        value = int(m.group(1) or m.group(2), 16)
        if value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
            return m.group(0)
        return chr(value)

    return _CODEPOINT.sub(one, text)


class _Depth:
    """Running bracket depth with the safe rule for skipped segments."""

    def __init__(self, text: str, limit: int) -> None:
        self.text = text
        self.limit = limit
        self.depth = 0

    def code(self, ch: str, at: int) -> None:
        if ch in _OPEN:
            self.depth += 1
            if self.depth > self.limit:
                self.fail(at)
        elif ch in _CLOSE and self.depth > 0:
            self.depth -= 1

    def segment(self, start: int, end: int) -> None:
        """Text the scanner skips: its openers count, its closers close only its own."""
        inner = 0
        for at in range(start, end):
            ch = self.text[at]
            if ch in _OPEN:
                inner += 1
                if self.depth + inner > self.limit:
                    self.fail(at)
            elif ch in _CLOSE and inner > 0:
                inner -= 1

    def fail(self, at: int) -> None:
        line = self.text.count("\n", 0, at) + 1
        raise TooDeep(
            f"line {line}: nested more than {self.limit} levels deep "
            "({, ( and [ together); simplify the query", line)


def sparql_depth_check(text: str, limit: int = MAX_NESTING) -> None:
    """Raise :class:`TooDeep` when the query ``text`` nests deeper than ``limit``.

    Codepoint escapes are replaced first (a parser does the same). Strings,
    comments and IRIs are skipped segments; ``\\`` outside them escapes the
    next character (``ex:a\\#`` is a name, not the start of a comment).
    """
    text = unescape_codepoints(text)
    d = _Depth(text, limit)
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "#":
            j = text.find("\n", i)
            end = n if j < 0 else j
            d.segment(i, end)
            i = end
            continue
        if c in "\"'":
            end = _string_end(text, i)
            d.segment(i, end)
            i = end
            continue
        if c == "<":
            m = _SPARQL_IRI.match(text, i)
            if m:
                d.segment(i, m.end())
                i = m.end()
                continue
        d.code(c, i)
        i += 1


def _string_end(text: str, start: int) -> int:
    """The index after the SPARQL string that starts at ``start`` (or the end of a line,
    for a string left open)."""
    q = text[start]
    n = len(text)
    if text.startswith(q * 3, start):
        i = start + 3
        while i < n:
            if text[i] == "\\":
                i += 2
                continue
            if text.startswith(q * 3, i):
                return i + 3
            i += 1
        return n
    i = start + 1
    while i < n:
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == q:
            return i + 1
        if c in "\r\n":
            return i
        i += 1
    return n


def json_depth_check(data: bytes, where: str, limit: int = MAX_NESTING) -> None:
    """Raise :class:`~sdgraph.errors.DataError` when the JSON ``data`` nests deeper than
    ``limit`` (objects and arrays), naming ``where`` and the line."""
    depth = 0
    in_string = False
    escaped = False
    for at, byte in enumerate(data):
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:
                in_string = False
            continue
        if byte == 0x22:
            in_string = True
        elif byte in (0x7B, 0x5B):  # { [
            depth += 1
            if depth > limit:
                line = data.count(b"\n", 0, at) + 1
                raise DataError(f"{where}, line {line}: JSON nested more than {limit} levels "
                                "deep; an inventory needs only a few levels")
        elif byte in (0x7D, 0x5D) and depth > 0:
            depth -= 1


def xml_depth_check(data: bytes, where: str, limit: int = MAX_NESTING) -> None:
    """Raise DataError when the XML ``data`` nests elements deeper than ``limit``.

    Uses expat, which keeps no stack of its own per level; run it after
    :func:`sdgraph.xmlguard.check_xml` has refused entity declarations.
    """
    from xml.parsers import expat

    parser = expat.ParserCreate()
    state = {"depth": 0}

    def start(_name, _attrs) -> None:
        state["depth"] += 1
        if state["depth"] > limit:
            raise DataError(f"{where}, line {parser.CurrentLineNumber}: XML nested more than "
                            f"{limit} elements deep")

    def end(_name) -> None:
        state["depth"] -= 1

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(data, True)
    except expat.ExpatError:
        return  # not well-formed: the RDF/XML parser reports it with its own position

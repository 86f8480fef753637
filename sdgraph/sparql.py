"""SPARQL text helpers: query form, and parameter binding as typed RDF terms.

Parameters are bound by a ``VALUES`` block placed at the start of the query's
WHERE group, built from RDF terms serialised by :func:`term_text` (IRIs
validated, literals always in the short quoted form with every quote,
backslash and line break escaped, language tags and datatypes checked). User
text is never spliced into a query. The same binding is used for every
backend, so both behave the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import NamedTuple

import pyoxigraph as ox
from rdflib.term import Identifier, Literal, URIRef

_IRI = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_STRING = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'',
    re.S,
)
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")
_FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")
_UPDATE_WORDS = (
    "INSERT",
    "DELETE",
    "LOAD",
    "CLEAR",
    "CREATE",
    "DROP",
    "COPY",
    "MOVE",
    "ADD",
    "WITH",
)


def _tokens(text: str, iris: bool = False):
    """Yield (kind, start, end) for braces and words, skipping comments, strings and IRIs
    (with ``iris``, IRIs are yielded too, as kind "iri")."""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            j = text.find("\n", i)
            i = n if j < 0 else j + 1
            continue
        if c in "\"'":
            m = _STRING.match(text, i)
            i = m.end() if m else i + 1
            continue
        if c == "<":
            m = _IRI.match(text, i)
            if m and iris:
                yield "iri", m.start(), m.end()
            i = m.end() if m else i + 1
            continue
        if c in "{}":
            yield c, i, i + 1
            i += 1
            continue
        if c in "?$":  # variables are never keywords
            m = _WORD.match(text, i + 1)
            i = m.end() if m else i + 1
            continue
        m = _WORD.match(text, i)
        if m:
            yield "word", m.start(), m.end()
            i = m.end()
            continue
        i += 1


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
#: what follows FROM: NAMED (optional) and an IRI or a prefixed name
_DATASET_TARGET = re.compile(
    r"(\s+NAMED)?\s*(<[^<>\"{}|^`\\\s]*>|[A-Za-z][\w.\-]*:[^\s{}()<>;,]*|:[^\s{}()<>;,]*)",
    re.I,
)


def has_relative_iri(text: str) -> bool:
    """True if the query writes an IRI without a scheme (``<s>``), which needs a base IRI."""
    return any(
        kind == "iri" and not _SCHEME.match(text, start + 1)
        for kind, start, _ in _tokens(text, iris=True)
    )


class DatasetClauses(NamedTuple):
    """A query's FROM / FROM NAMED clauses, resolved, and its text without them."""

    text: str
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]


def dataset_clauses(text: str, base_iri: str | None = None) -> DatasetClauses | None:
    """The query's dataset clauses, or None if it has none.

    IRIs are resolved by Oxigraph's parser against the query's own PREFIX and BASE
    declarations (and ``base_iri``). The clauses are blanked out of the returned text
    (replaced by spaces, so positions in error messages stay the same), so a server
    that is given the dataset as protocol parameters cannot merge the two.
    """
    spans: list[tuple[int, int, bool, str]] = []
    form_at: int | None = None
    for kind, start, end in _tokens(text):
        if kind != "word":
            continue
        word = text[start:end].upper()
        if form_at is None and word in _FORMS:
            form_at = start
        if word != "FROM" or not _keyword(text, start, end):
            continue
        m = _DATASET_TARGET.match(text, end)
        if m is None:
            raise ValueError("FROM must be followed by an IRI")
        spans.append((start, m.end(), bool(m.group(1)), m.group(2)))
    if not spans:
        return None
    prologue = text[: form_at or 0]
    default: list[str] = []
    named: list[str] = []
    resolver = ox.Store()
    for _, _, is_named, target in spans:
        probe = f"{prologue}\nSELECT ?g WHERE {{ BIND({target} AS ?g) }}"
        try:
            [row] = list(resolver.query(probe, base_iri=base_iri))
        except (SyntaxError, ValueError) as exc:
            raise ValueError(f"cannot read the dataset clause FROM {target}: {exc}") from None
        (named if is_named else default).append(row[0].value)
    blanked = list(text)
    for start, end, _, _ in spans:
        for i in range(start, end):
            if blanked[i] not in "\r\n":
                blanked[i] = " "
    return DatasetClauses("".join(blanked), tuple(default), tuple(named))


def query_form(text: str) -> str:
    """Return SELECT, CONSTRUCT, ASK, DESCRIBE or UPDATE for a SPARQL text."""
    for kind, start, end in _tokens(text):
        if kind != "word":
            continue
        word = text[start:end].upper()
        if word in _FORMS:
            return word
        if word in _UPDATE_WORDS:
            return "UPDATE"
    raise ValueError("not a SPARQL query: no SELECT, CONSTRUCT, ASK or DESCRIBE found")


def _where_brace(text: str) -> int:
    """Index of the '{' that opens the query's WHERE group."""
    form = None
    saw_where = False
    depth_skip = 0
    skipping = False
    for kind, start, end in _tokens(text):
        if kind == "word":
            word = text[start:end].upper()
            if form is None and word in _FORMS:
                form = word
            elif word == "WHERE" and not skipping:
                saw_where = True
            continue
        if skipping:
            depth_skip += 1 if kind == "{" else -1
            if depth_skip == 0:
                skipping = False
            continue
        if kind == "{":
            if form == "CONSTRUCT" and not saw_where:
                skipping, depth_skip = True, 1  # the CONSTRUCT template
                continue
            return start
    raise ValueError("query has no WHERE group to bind parameters in")


#: What a literal's characters become inside "...": the escapes SPARQL's ECHAR has.
_ECHAR = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b",
          "\f": "\\f"}
_LANG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")


def _string(value: str) -> str:
    """``value`` as a SPARQL short string (STRING_LITERAL2) that cannot end early.

    Quotes, backslashes and line breaks use ECHAR escapes; other characters are
    written as they are. Every backslash of the value is doubled, so even a
    parser that replaces ``\\u0022`` by a quote before it parses (the SPARQL
    1.1 text allows that; Oxigraph reads such escapes only inside strings) finds
    an odd number of backslashes before that quote: an escaped quote, never the
    end of the string. Lone surrogates cannot be written in UTF-8 and are refused.
    """
    for ch in value:
        if 0xD800 <= ord(ch) <= 0xDFFF:
            raise ValueError(f"a lone surrogate (U+{ord(ch):04X}) cannot be part of a literal")
    return '"' + "".join(_ECHAR.get(ch, ch) for ch in value) + '"'


def term_text(term: Identifier) -> str:
    """The SPARQL text of an IRI or literal, safe to place in a query.

    IRIs must be valid IRIREFs; a literal is written as ``"..."``, with
    ``@lang`` (checked against BCP 47's form) or ``^^<datatype>`` (a valid IRI).
    rdflib's own ``n3()`` is not used: it writes a value with a line break and
    a quote as a long string that ends early (``Literal('x\\n\\\\"').n3()``).
    """
    if isinstance(term, URIRef):
        if not _IRI.fullmatch(f"<{term}>"):
            raise ValueError(f"not a valid IRI: {str(term)!r}")
        return f"<{term}>"
    if isinstance(term, Literal):
        text = _string(str(term))
        if term.language:
            if not _LANG.fullmatch(term.language):
                raise ValueError(f"not a valid language tag: {term.language!r}")
            return f"{text}@{term.language}"
        if term.datatype is not None:
            return f"{text}^^{term_text(URIRef(term.datatype))}"
        return text
    raise TypeError(f"expected an IRI or literal, not {type(term).__name__}")


#: A parameter's value: one term (bound in a single-row VALUES block), several terms (one
#: row each, in a VALUES block of their own), or None (left unbound).
Binding = Identifier | tuple[Identifier, ...] | list[Identifier] | None


#: writes the block that binds single-term parameters (name, term) at the start of a group
BindingBlock = Callable[[list[tuple[str, Identifier]]], str]


def bind(text: str, bindings: Mapping[str, Binding] | None,
         block: BindingBlock | None = None) -> str:
    """Return the query or update ``text`` with ``bindings`` (variable -> RDF term) bound.

    ``None`` values leave the variable unbound, so queries can treat a parameter
    as optional with ``BOUND(?x)``. A list of terms binds the variable to each
    (one solution per term). In a query the VALUES block goes at the start of
    the WHERE group (and of every sub-select that uses a single-term parameter);
    in an update at the start of every WHERE group of its operations. This is
    the one binder of the project: named queries, updates and the scenario
    overlay all bind through it. ``block`` writes the single-term bindings (default: one
    VALUES row); a server profile may need another form (:mod:`sdgraph.store.profiles`).
    """
    items = [(k, tuple(v) if isinstance(v, list) else v)
             for k, v in (bindings or {}).items() if v is not None]
    if not items:
        return text
    for name, value in items:
        for term in value if isinstance(value, tuple) else (value,):
            check_parameter(name, term)
    return _bind(text, tuple(items), block or _values_block)


def check_parameter(name: str, term: Identifier) -> None:
    """Raise unless ``name`` is a variable name and ``term`` an IRI or literal that can be
    written into a query."""
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise ValueError(f"invalid parameter name {name!r}")
    if not isinstance(term, (URIRef, Literal)):
        raise TypeError(f"parameter {name} must be an IRI or literal, not {type(term).__name__}")
    if isinstance(term, URIRef) and not _IRI.fullmatch(f"<{term}>"):
        raise ValueError(f"parameter {name}: not a valid IRI: {str(term)!r}")


@lru_cache(maxsize=2048)
def _bind(text: str, items: tuple[tuple[str, Identifier | tuple[Identifier, ...]], ...],
          write: BindingBlock) -> str:
    """:func:`bind` after its checks; kept per text and terms (the scenario overlays run
    the same few queries with the same parameters, and binding tokenises the text)."""
    single = [(k, v) for k, v in items if not isinstance(v, tuple)]
    block = (write(single) if single else "") + "".join(
        f" VALUES ?{k} {{ {' '.join(term_text(t) for t in v)} }} "
        for k, v in items if isinstance(v, tuple))
    if query_form(text) == "UPDATE":
        return _bind_update(text, block)
    text = _bind_sub_selects(text, single, write) if single else text
    pos = _where_brace(text) + 1
    rest = text[pos:]
    kind, s, e = next(_tokens(rest), ("", 0, 0))
    first = rest[s:e].upper() if kind == "word" else ""
    if first == "SELECT":  # a bare sub-select must be the group's only content: nest it
        end = _matching_brace(text, pos - 1)
        return text[:pos] + block + "{" + text[pos:end] + "} " + text[end:]
    return text[:pos] + block + rest


def _bind_update(text: str, block: str) -> str:
    """The update with ``block`` at the start of every top-level WHERE group."""
    positions, depth, after_where = [], 0, False
    for kind, start, end in _tokens(text):
        if kind == "{":
            if depth == 0 and after_where:
                positions.append(start + 1)
            after_where = False
            depth += 1
        elif kind == "}":
            depth -= 1
        elif depth == 0:
            after_where = text[start:end].upper() == "WHERE"
    if not positions:
        raise ValueError("update has no WHERE group to bind parameters in")
    for pos in reversed(positions):
        text = text[:pos] + block + text[pos:]
    return text


def _values_block(items: list[tuple[str, Identifier]]) -> str:
    variables = " ".join(f"?{k}" for k, _ in items)
    values = " ".join(term_text(term) for _, term in items)
    return f" VALUES ({variables}) {{ ({values}) }} "


def _bind_sub_selects(text: str, items: list[tuple[str, Identifier]],
                      write: BindingBlock | None = None) -> str:
    """Bind parameters inside every sub-select that uses them.

    A sub-select is evaluated on its own (bottom-up), so a VALUES block in the
    outer group does not reach it: each sub-select that mentions a parameter
    variable gets its own VALUES block for those parameters.
    """
    inserts: list[tuple[int, str]] = []
    selects = [
        start
        for kind, start, end in _tokens(text)
        if kind == "word" and text[start:end].upper() == "SELECT"
    ]
    if query_form(text) == "SELECT":
        selects = selects[1:]  # the first SELECT is the query itself
    for start in selects:
        brace = next(
            (start + i for kind, i, _ in _tokens(text[start:]) if kind == "{"), None
        )
        if brace is None:
            continue
        body = text[brace : _matching_brace(text, brace) + 1]
        used = [(k, v) for k, v in items if re.search(rf"[?$]{k}\b", body)]
        if used:
            inserts.append((brace + 1, (write or _values_block)(used)))
    for pos, block in sorted(inserts, reverse=True):
        text = text[:pos] + block + text[pos:]
    return text


def _matching_brace(text: str, open_at: int) -> int:
    depth = 0
    for kind, start, _ in _tokens(text[open_at:]):
        if kind == "{":
            depth += 1
        elif kind == "}":
            depth -= 1
            if depth == 0:
                return open_at + start
    raise ValueError("unbalanced braces in query")


# --------------------------------------------------------------------------- workbench helpers


class ParseError(NamedTuple):
    """Where a query text cannot be parsed: 1-based line and column, and why."""

    line: int
    column: int
    message: str


_OX_POSITION = re.compile(r"^error at (\d+):(\d+):\s*")


def syntax_error(text: str) -> ParseError | None:
    """The first syntax error in a query ``text``, or None when it parses.

    Parses only (rdflib's SPARQL parser, then its check of the prefixes used);
    nothing is evaluated. The position is the start of the construct the parser
    could not read, with the token found there; an undeclared prefix points at
    its first use. Run it where a slow parse is time-limited (the query
    workers): rdflib's parser takes seconds on large queries.
    """
    if not text.strip():
        return ParseError(1, 1, "empty query")
    rd = _rdflib_error(text)
    if rd is not None:
        return rd
    from .guard import parse_tree

    try:
        parse_tree(_same_length(text), translate=True)
    except Exception as exc:  # noqa: BLE001 - rdflib raises plain exceptions here
        if "prefix" in str(exc).lower():
            return _undeclared_prefix(text) or ParseError(1, 1, str(exc))
    return None


def describe_syntax_error(text: str, engine_message: str):
    """A :class:`~sdgraph.guard.QueryRefused` for a query the engine could not parse:
    at rdflib's position when rdflib finds the error too, else at the engine's."""
    from .guard import QueryRefused

    message = engine_message.removeprefix("SPARQL syntax error: ")
    problem = _rdflib_error(text)
    if problem is None and "Prefix not found" in message:
        problem = _undeclared_prefix(text)
    if problem is None:
        m = _OX_POSITION.match(message)
        line, column = (int(m.group(1)), int(m.group(2))) if m else (1, 1)
        detail = message[m.end() :] if m else message
        detail = detail.split(", [", 1)[0].split(" [", 1)[0].strip() or "syntax error"
        line, column = _clamp(text, line, column)
        problem = ParseError(line, column, detail)
    return QueryRefused(f"syntax error at line {problem.line}, column {problem.column}: "
                        f"{problem.message}",
                        "syntax", problem)


def _form_or_none(text: str) -> str | None:
    try:
        return query_form(text)
    except ValueError:
        return None


def _same_length(text: str) -> str:
    """``text`` with tabs and \\u escapes kept as long as they are: pyparsing expands tabs
    and rdflib expands \\u escapes before parsing, which would shift columns."""
    return re.sub(r"\\(?=u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})", "x", text.replace("\t", " "))


def _rdflib_error(text: str) -> ParseError | None:
    """rdflib's parse error, with positions in ``text`` (tabs and \\u escapes kept in place)."""
    from pyparsing import ParseBaseException

    from .guard import parse_tree

    try:
        parse_tree(_same_length(text))
    except ParseBaseException as exc:
        found = getattr(exc, "found", "") or ""
        message = f"unexpected {found}" if found else (exc.msg or "syntax error")
        line, column = _clamp(text, exc.lineno, exc.col)
        return ParseError(line, column, message)
    except RecursionError:
        return ParseError(1, 1, "too long or too deeply nested to check")
    except Exception:  # noqa: BLE001 - rdflib raises plain exceptions for some texts
        return None
    return None


def _undeclared_prefix(text: str) -> ParseError | None:
    """The first prefixed name whose prefix no PREFIX line declares."""
    declared: set[str] = set()
    previous = ""
    uses: list[tuple[str, int]] = []
    for kind, start, end in _tokens(text):
        if kind != "word":
            previous = kind
            continue
        word = text[start:end]
        if previous.upper() == "PREFIX":
            declared.add(word)
        elif end < len(text) and text[end] == ":" and (start == 0 or text[start - 1] != ":"):
            if word != "_":
                uses.append((word, start))
        previous = word
    if re.search(r"(?i)\bPREFIX\s*:", text):  # the empty prefix
        declared.add("")
    for word, start in uses:
        if word not in declared:
            line = text.count("\n", 0, start) + 1
            column = start - (text.rfind("\n", 0, start) + 1) + 1
            message = f"prefix {word}: is not declared (add PREFIX {word}: <...>)"
            return ParseError(line, column, message)
    return None


def _clamp(text: str, line: int, column: int) -> tuple[int, int]:
    """A position inside ``text``: at most one past the end of an existing line."""
    lines = text.split("\n")
    line = min(max(line, 1), len(lines))
    column = min(max(column, 1), len(lines[line - 1]) + 1)
    return line, column


def with_limit(text: str, limit: int) -> str:
    """``text`` asking for at most ``limit`` solutions, unless it has a LIMIT of its own.

    The LIMIT goes after the solution modifiers, before a trailing VALUES clause;
    an ASK query is returned as it is.
    """
    if limit < 0:
        raise ValueError("limit must be zero or more")
    if _form_or_none(text) == "ASK":
        return text
    depth = 0
    trailing_values = None
    for kind, start, end in _tokens(text):
        if kind == "{":
            depth += 1
        elif kind == "}":
            depth -= 1
        elif depth == 0 and _keyword(text, start, end):
            word = text[start:end].upper()
            if word == "LIMIT":
                return text
            if word == "VALUES" and trailing_values is None:
                trailing_values = start
    clause = f"LIMIT {int(limit)}"
    if trailing_values is not None:
        return f"{text[:trailing_values]}{clause}\n{text[trailing_values:]}"
    return f"{text.rstrip()}\n{clause}\n"


def _keyword(text: str, start: int, end: int) -> bool:
    """True if the word at start:end is not part of a prefixed name (ex:limit, limit:x)."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return before != ":" and after != ":"

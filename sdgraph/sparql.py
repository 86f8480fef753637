"""SPARQL text helpers: query form, and parameter binding as typed RDF terms.

Parameters are bound by a ``VALUES`` block placed at the start of the query's
WHERE group, built from RDF terms serialised by rdflib (IRIs validated,
literals escaped and typed). User text is never spliced into a query. The same
binding is used for every backend, so both behave the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import NamedTuple

import pyoxigraph as ox
from rdflib.term import Identifier, Literal, URIRef

_IRI = re.compile(r'<[^<>"{}|^`\\\s]*>')
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


def _has_keyword(text: str, keyword: str) -> bool:
    """True if ``keyword`` occurs as a keyword (not in a string, comment or prefixed name)."""
    for kind, start, end in _tokens(text):
        if kind != "word" or text[start:end].upper() != keyword:
            continue
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if before != ":" and after != ":":  # not part of a prefixed name like ex:service
            return True
    return False


def uses_service(text: str) -> bool:
    """True if the query has a SERVICE clause (a federated call to another endpoint)."""
    return _has_keyword(text, "SERVICE")


def uses_dataset(text: str) -> bool:
    """True if the query has a dataset clause (FROM or FROM NAMED)."""
    return _has_keyword(text, "FROM")


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
        f" VALUES ?{k} {{ {' '.join(t.n3() for t in v)} }} "
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
    values = " ".join(term.n3() for _, term in items)
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

    Oxigraph's parser decides (it runs the queries), against an empty in-memory
    store whose solutions are never read, so nothing is evaluated (an ASK that
    uses SERVICE is only checked by rdflib's parser, as ASK is answered at once).
    Oxigraph reports the furthest point its parser tried, which often lies past
    the mistake, so the position comes from rdflib's parser when that fails too
    (the start of the construct it could not read, with the token found there);
    an undeclared prefix points at its first use.
    """
    if not text.strip():
        return ParseError(1, 1, "empty query")
    form = _form_or_none(text)
    ox_message: str | None = None
    if not (form == "ASK" and uses_service(text)):
        try:
            ox.Store().query(text)
            return None
        except SyntaxError as exc:
            ox_message = exc.msg or str(exc)
        except Exception:  # noqa: BLE001 - parsed, but not runnable here (e.g. custom function)
            return None
    rd = _rdflib_error(text)
    if ox_message is None:  # only rdflib's parser was asked
        return rd
    if rd is not None:
        return rd
    if "Prefix not found" in ox_message:
        used = _undeclared_prefix(text)
        if used is not None:
            return used
    m = _OX_POSITION.match(ox_message)
    line, column = (int(m.group(1)), int(m.group(2))) if m else (1, 1)
    message = ox_message[m.end() :] if m else ox_message
    message = message.split(", [", 1)[0].split(" [", 1)[0].strip() or "syntax error"
    line, column = _clamp(text, line, column)
    return ParseError(line, column, message)


def _form_or_none(text: str) -> str | None:
    try:
        return query_form(text)
    except ValueError:
        return None


def _rdflib_error(text: str) -> ParseError | None:
    """rdflib's parse error, with positions in ``text`` (tabs and \\u escapes kept in place)."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery

    # pyparsing expands tabs and rdflib expands \\u escapes before parsing, which
    # would shift columns: give it a text of the same length per line instead.
    same_length = re.sub(r"\\(?=u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})", "x", text.replace("\t", " "))
    try:
        parseQuery(same_length)
    except ParseBaseException as exc:
        found = getattr(exc, "found", "") or ""
        message = f"unexpected {found}" if found else (exc.msg or "syntax error")
        line, column = _clamp(text, exc.lineno, exc.col)
        return ParseError(line, column, message)
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

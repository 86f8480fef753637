"""The guard for user-written SPARQL (/sparql, the workbench): what may reach the engine.

A user's query must be read-only, make no requests to other hosts (no
``SERVICE``) and query the union of all graphs (no ``FROM``). The decision is
made on what a parser sees, never on a scan for keywords:

1. size and nesting limits, before any parser (:mod:`sdgraph.nesting`);
2. every way to write a keyword (any case, ``\\u`` escapes, Unicode look-alikes
   that fold to ASCII) is reduced to one spelling; a text in which the letters
   ``service`` and ``from`` do not occur at all cannot hold either clause,
   whatever parser reads it;
3. otherwise rdflib's SPARQL parser parses the query, and its parse tree must
   have no ``SERVICE`` pattern and no dataset clause. Because rdflib and
   Oxigraph are two parsers, every occurrence of ``service`` in the text must
   also be found inside a name, string, IRI or variable of rdflib's parse: a
   ``SERVICE`` that rdflib took for part of a comment (as it does after an
   escaped ``\\#`` in a prefixed name) is refused. A query rdflib cannot parse
   is refused when it holds one of the two words.

Where the embedded store runs the query, the worker process cannot open a
network connection at all (:mod:`sdgraph.store.confine`), so a parser
difference that slipped through still reaches no other host.

The guard runs inside the time-limited query workers (rdflib's parser can take
seconds on a large query), or in a thread where there are none.
"""

from __future__ import annotations

import sys
import threading
import unicodedata
from collections.abc import Iterator
from typing import Any

from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import BNode, Literal, URIRef, Variable

from .errors import UserError
from .nesting import MAX_NESTING, TooDeep, sparql_depth_check, unescape_codepoints
from .sparql import ParseError as Position
from .sparql import _clamp, query_form

#: The longest query text accepted (characters).
MAX_QUERY_CHARS = 256 * 1024

#: rdflib's parser recurses about 40 Python frames per level of nesting.
_RECURSION_LIMIT = 20_000
_PARSE_STACK = 256 * 1024 * 1024


class QueryRefused(UserError):
    """A query that is not run: empty, too large or deep, an update, SERVICE, FROM, or
    a syntax error. ``reason`` is one of empty, size, depth, update, service, from,
    syntax, form or engine; ``position`` is where a syntax error is."""

    def __init__(self, message: str, reason: str = "syntax",
                 position: Position | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.position = position

    def __reduce__(self):  # crosses the pipe from a query worker
        return (QueryRefused, (str(self), self.reason, self.position))


SERVICE_REFUSED = "SERVICE is not allowed: this endpoint makes no requests to other hosts"
FROM_REFUSED = ("FROM and FROM NAMED are not supported: the default graph is the union of all "
                "graphs; use GRAPH <iri> { ... } to select one")
UPDATE_REFUSED = "this endpoint is read-only: SPARQL Update is not accepted"


def folded(text: str) -> str:
    """``text`` as keywords compare: codepoint escapes replaced, NFKC, case folded."""
    return unicodedata.normalize("NFKC", unescape_codepoints(text)).casefold()


def precheck(text: str, max_chars: int = MAX_QUERY_CHARS,
             max_nesting: int = MAX_NESTING) -> None:
    """The cheap part of :func:`check` (empty, size, nesting: one linear scan, no parser),
    done before a query waits for a worker, so such a query is refused at once."""
    if not text.strip():
        raise QueryRefused("empty query", "empty")
    if len(text) > max_chars:
        raise QueryRefused(f"the query is longer than {max_chars:,} characters", "size")
    try:
        sparql_depth_check(text, max_nesting)
    except TooDeep as exc:
        raise QueryRefused(str(exc), "depth") from None


def _variants(text: str) -> tuple[str, str]:
    """The text as a parser sees it, whether it replaces \\u escapes after a backslash or
    not (escaped backslashes blanked out), folded."""
    return folded(text), folded(text.replace("\\\\", "  "))


def needs_parse(text: str) -> bool:
    """Whether :func:`check` has to parse ``text`` (the letters ``service`` or ``from``
    occur in it): only then can it take long, so only then must it run time-limited."""
    return any("service" in v or "from" in v for v in _variants(text))


def check(text: str, max_chars: int = MAX_QUERY_CHARS, max_nesting: int = MAX_NESTING,
          parse: bool = False) -> str:
    """The query form (SELECT, CONSTRUCT, ASK, DESCRIBE) of ``text`` if it may run,
    else :class:`QueryRefused`. Parses only; nothing is evaluated. ``parse``: parse
    every text, so only standard SPARQL 1.1 passes (for a server that also accepts
    its own extensions, such as Virtuoso's ``DEFINE`` pragmas)."""
    precheck(text, max_chars, max_nesting)
    try:
        form = query_form(text)
    except ValueError:
        form = None
    if form == "UPDATE":
        raise QueryRefused(UPDATE_REFUSED, "update")
    variants = _variants(text)
    if not parse and not any("service" in v or "from" in v for v in variants):
        if form is None:
            raise QueryRefused("not a SPARQL query: no SELECT, CONSTRUCT, ASK or DESCRIBE",
                               "form")
        return form
    tree = _parse_or_refuse(text)
    nodes = list(_walk(tree))
    names = {n.name for n in nodes if isinstance(n, CompValue)}
    if "ServiceGraphPattern" in names:
        raise QueryRefused(SERVICE_REFUSED, "service")
    if "DatasetClause" in names:
        raise QueryRefused(FROM_REFUSED, "from")
    in_terms = sum(folded(t).count("service") for t in _term_texts(nodes))
    if any(v.count("service") > in_terms for v in variants):
        raise QueryRefused(
            SERVICE_REFUSED + " (the word 'service' occurs outside a name, string or IRI, "
            "for instance in a comment: remove it)", "service")
    return _form_of(tree) or form or "SELECT"


def _parse_or_refuse(text: str):
    """rdflib's parse tree of ``text``, or QueryRefused (update, syntax, depth)."""
    from pyparsing import ParseBaseException

    try:
        return parse_tree(text)
    except ParseBaseException as exc:
        if _is_update(text):
            raise QueryRefused(UPDATE_REFUSED, "update") from None
        found = getattr(exc, "found", "") or ""
        message = f"unexpected {found}" if found else (exc.msg or "syntax error")
        position = Position(*_clamp(text, exc.lineno, exc.col), message)
        raise QueryRefused(f"syntax error at line {position.line}, column {position.column}: "
                           f"{message}",
                           "syntax", position) from None
    except RecursionError:
        raise QueryRefused("the query is too long or too deeply nested to be checked; "
                           "simplify it", "depth") from None
    except Exception as exc:  # noqa: BLE001 - rdflib raises plain exceptions for some texts
        raise QueryRefused(f"syntax error: {exc}", "syntax") from None


def _is_update(text: str) -> bool:
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        _in_parse_thread(parseUpdate, text)
        return True
    except BaseException:  # noqa: BLE001 - anything but a clean parse is "not an update"
        return False


def parse_tree(text: str, translate: bool = False):
    """rdflib's parse of the query ``text`` (pyparsing errors and RecursionError raised);
    ``translate``: its algebra too (which resolves prefixes)."""
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    if translate:
        return _in_parse_thread(lambda t: translateQuery(parseQuery(t)), text)
    return _in_parse_thread(parseQuery, text)


_parse_lock = threading.Lock()


def _in_parse_thread(func, text: str):
    """``func(text)`` in a thread with a large stack and recursion limit: rdflib's
    parser recurses deeply (a bounded depth, checked before)."""
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["value"] = func(text)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller
            box["error"] = exc

    with _parse_lock:
        if sys.getrecursionlimit() < _RECURSION_LIMIT:
            sys.setrecursionlimit(_RECURSION_LIMIT)
        previous = threading.stack_size(_PARSE_STACK)
        try:
            thread = threading.Thread(target=work, name="sdgraph-parse", daemon=True)
            thread.start()
        finally:
            threading.stack_size(previous)
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["value"]


def _walk(tree) -> Iterator[Any]:
    """Every node of a pyparsing/rdflib parse tree, each object once (no recursion)."""
    seen: set[int] = set()
    stack = [tree]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        if isinstance(node, (str, bytes)):
            continue
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
            stack.extend(node)


def _term_texts(nodes: list[Any]) -> Iterator[str]:
    """The texts of the names, strings, IRIs, variables and prefixes in a parse."""
    for node in nodes:
        if isinstance(node, (Variable, URIRef, BNode)):
            yield str(node)
        elif isinstance(node, Literal):
            yield str(node)
            if node.language:
                yield node.language
        name = node.name if isinstance(node, CompValue) else None
        if name == "pname":
            yield str(node.get("prefix") or "") + " " + str(node.get("localname") or "")
        elif name == "PrefixDecl":
            yield str(node.get("prefix") or "")
        elif name == "literal" and node.get("lang"):
            yield str(node.get("lang"))


def _form_of(tree) -> str | None:
    for node in tree:
        name = node.name if isinstance(node, CompValue) else ""
        if name.endswith("Query"):
            return name[: -len("Query")].upper()
    return None

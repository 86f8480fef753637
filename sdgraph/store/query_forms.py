"""Rewrites of SPARQL text into equivalent forms that a server evaluates right.

Used by server profiles (:mod:`.profiles`) for servers that deviate from
SPARQL 1.1 (Virtuoso 7.2). Each rewrite keeps the meaning of the query under
SPARQL 1.1: it only works on expressions (FILTER, BIND, ``(expr AS ?x)``),
scanned with strings, IRIs and comments skipped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..sparql import _IRI, _STRING, _tokens

XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SPACE = re.compile(r"(?:\s|#[^\n]*)*")
_AS_TAIL = re.compile(r"\bAS\s*[?$][A-Za-z_][A-Za-z0-9_]*\s*$", re.I)
_AS_BEFORE = re.compile(r"\bAS\s*$", re.I)
_BOUND = re.compile(r"BOUND\s*\(\s*[?$]([A-Za-z_][A-Za-z0-9_]*)\s*\)", re.I)
#: functions and keywords whose value is a boolean
_BOOLEAN_START = re.compile(
    r"\s*!|\s*(?:NOT\s+EXISTS|EXISTS|BOUND|isIRI|isURI|isBlank|isLiteral|isNumeric|REGEX|"
    r"LANGMATCHES|CONTAINS|STRSTARTS|STRENDS|sameTerm|true|false)\b",
    re.I,
)
_EXISTS = re.compile(r"\bEXISTS\b", re.I)
_IF = re.compile(r"\s*IF\s*\(", re.I)
_COMPARISON = re.compile(r"&&|\|\||!=|<=|>=|=|<|>|(?<![?$\w])IN\b", re.I)


def _skip(text: str, i: int) -> int | None:
    """If a string, IRI or comment starts at ``i``, the index after it, else None."""
    c = text[i]
    if c == "#":
        j = text.find("\n", i)
        return len(text) if j < 0 else j + 1
    if c in "\"'":
        m = _STRING.match(text, i)
        return m.end() if m else i + 1
    if c == "<":
        m = _IRI.match(text, i)
        return m.end() if m else None
    return None


def _pairs(text: str, opening: str, closing: str) -> dict[int, int]:
    """Every ``opening`` of the text (outside strings, IRIs, comments) -> its ``closing``."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    i = 0
    while i < len(text):
        after = _skip(text, i)
        if after is not None:
            i = after
            continue
        if text[i] == opening:
            stack.append(i)
        elif text[i] == closing and stack:
            pairs[stack.pop()] = i
        i += 1
    return pairs


def expression_spans(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, assigns) of every outermost FILTER expression (``FILTER (...)``,
    ``FILTER regex(...)``, ``FILTER NOT EXISTS { }``) and ``(expr AS ?x)`` (BIND or a
    projection); ``assigns`` is True for the latter."""
    pairs = _pairs(text, "(", ")")
    braces = _pairs(text, "{", "}")
    found: list[tuple[int, int, bool]] = []
    for kind, start, end in _tokens(text):
        if kind != "word" or text[start:end].upper() != "FILTER" \
                or text[start - 1 : start] == ":" or text[end : end + 1] == ":":
            continue
        i = _SPACE.match(text, end).end()
        if text[i : i + 1] != "(":  # FILTER regex(...), FILTER (NOT) EXISTS { }
            m = _NAME.match(text, i)
            if m is None:
                continue
            after = _SPACE.match(text, m.end()).end()
            if m.group().upper() in ("NOT", "EXISTS"):
                brace = text.find("{", after)
                if brace in braces:
                    found.append((i, braces[brace] + 1, False))
                continue
            i = after
        if i in pairs:
            found.append((i, pairs[i] + 1, False))
    for open_at, close in pairs.items():
        if _AS_TAIL.search(text, open_at + 1, close):
            found.append((open_at, close + 1, True))
    found.sort()
    outermost: list[tuple[int, int, bool]] = []
    for span in found:
        if outermost and span[0] < outermost[-1][1]:
            continue
        outermost.append(span)
    return outermost


def rewrite_expressions(text: str, rewrite) -> str:
    """``text`` with ``rewrite(span_text, assigns)`` applied to every expression span."""
    out: list[str] = []
    last = 0
    for start, end, assigns in expression_spans(text):
        out.append(text[last:start])
        out.append(rewrite(text[start:end], assigns))
        last = end
    out.append(text[last:])
    return "".join(out)


def _keep(c: str, _depth: int) -> str:
    return c


def _walk(text: str, names=(), write=None, char=_keep) -> str:
    """``text`` with each variable in ``names`` replaced by ``write(position, name,
    brace depth)``, and ``BOUND(?x)`` of such a variable by ``true`` (a substituted
    parameter is bound), every other character ``c`` by ``char(c, brace depth)``;
    ``AS ?x`` stays; strings, IRIs and comments are left alone."""
    out: list[str] = []
    i, depth = 0, 0
    while i < len(text):
        after = _skip(text, i)
        if after is not None:
            out.append(text[i:after])
            i = after
            continue
        c = text[i]
        bound = _BOUND.match(text, i) if c in "bB" else None
        if bound and bound.group(1) in names and not text[i - 1 : i].isalnum():
            out.append("true")
            i = bound.end()
            continue
        if c in "?$":
            m = _NAME.match(text, i + 1)
            if m and m.group() in names and not _AS_BEFORE.search(text, 0, i):
                out.append(write(i, m.group(), depth))
                i = m.end()
                continue
        depth += {"{": 1, "}": -1}.get(c, 0)
        out.append(char(c, depth))
        i += 1
    return "".join(out)


def substitute(span: str, terms: Mapping[str, tuple[str, str]]) -> str:
    """``span`` with each variable of ``terms`` replaced by its value, written as an
    expression (outside braces) or as a term of a pattern (inside ``EXISTS { }``);
    ``BOUND(?x)`` of such a variable becomes ``true``, ``AS ?x`` stays."""
    return _walk(span, terms, lambda _, name, depth: terms[name][0 if depth == 0 else 1])


def decimal_division(span: str) -> str:
    """Every ``/`` of an expression as ``* 1.0 /``: the same value under SPARQL (an
    integer divided by an integer is an xsd:decimal), where Virtuoso divides integers
    as SQL does (3 / 4 = 0). ``*`` and ``/`` bind equally and from the left, so
    ``a / b`` becomes ``(a * 1.0) / b``. Paths inside ``{ }`` are left alone."""
    return _walk(span, char=lambda c, depth: " * 1.0 /" if c == "/" and depth == 0 else c)


#: functions that give another value at each call: an operand with one is not repeated
_VOLATILE = re.compile(r"\b(?:RAND|NOW|UUID|STRUUID|BNODE)\s*\(", re.I)
_AS_WORD = re.compile(r"AS\b", re.I)


def or_equal(span: str) -> str:
    """Every ``a <= b`` as ``(a < b || a = b)`` and ``a >= b`` as ``(a > b || a = b)``,
    in nested expressions too (``EXISTS { FILTER (...) }``): the same value under SPARQL
    1.1, whose ``<=`` is less-than or equal (a type error in either part is an error,
    NaN is neither), where Virtuoso 7.2 runs a ``<=`` or ``>=`` against a date it can
    compute before the scan (a constant, ``STRDT("...", xsd:date)``, ``bif:dateadd``
    of one) as a range scan of its index that, in some states of the index, finds
    nothing: ``?e <= "2024-06-01"^^xsd:date`` found none of two earlier end dates, and
    with an ``OPTIONAL`` after it ``?e <= bif:dateadd("month", 12, STRDT(...))`` did
    too, where ``<``, ``=`` and ``>`` were right. An operand with a function whose value
    changes per call (RAND, NOW, UUID, STRUUID, BNODE) is not repeated: that
    comparison stays as it is."""
    out: list[str] = []
    i = 0
    while i < len(span):
        after = _skip(span, i)
        if after is not None:
            out.append(span[i:after])
            i = after
            continue
        c = span[i]
        if c in "({":
            close = _pairs(span[i:], c, ")" if c == "(" else "}").get(0)
            if close is not None:
                out.append(c + or_equal(span[i + 1 : i + close]) + span[i + close])
                i += close + 1
                continue
        out.append(c)
        i += 1
    return _or_equal_level("".join(out))


def _or_equal_level(text: str) -> str:
    """:func:`or_equal` on the comparisons outside any brackets of ``text`` (those inside
    are rewritten already). Relational operators bind below arithmetic and above ``&&``,
    ``||``, ``,`` and ``AS``, and do not chain, so each operand reaches to the nearest of
    those (or the text's end)."""
    bounds: list[tuple[int, int]] = [(0, 0)]
    operators: list[int] = []
    for i, c, depth in _nesting(text):
        if depth != 0:
            continue
        if text.startswith(("&&", "||"), i):
            bounds.append((i, i + 2))
        elif c == ",":
            bounds.append((i, i + 1))
        elif c in "aA" and _AS_WORD.match(text, i) and not text[i - 1 : i].isalnum() \
                and text[i - 1 : i] not in "?$:":
            bounds.append((i, i + 2))
        elif c in "<>" and text.startswith(("<=", ">="), i):
            operators.append(i)
    bounds.append((len(text), len(text)))
    for op in reversed(operators):
        start = max(end for begin, end in bounds if end <= op)
        stop = min(begin for begin, end in bounds if begin >= op + 2)
        left, right = text[start:op], text[op + 2 : stop]
        if _VOLATILE.search(left) or _VOLATILE.search(right):
            continue
        a, b, strict = left.strip(), right.strip(), text[op]
        lead = left[: len(left) - len(left.lstrip())]
        trail = right[len(right.rstrip()):]
        text = (f"{text[:start]}{lead}({a} {strict} {b} || {a} = {b}){trail}"
                f"{text[stop:]}")
    return text


def _nesting(text: str, start: int = 0):
    """(index, character, depth) of each character of ``text`` from ``start`` outside
    strings, IRIs and comments; depth counts the ``(`` and ``{`` open before it."""
    i, depth = start, 0
    while i < len(text):
        after = _skip(text, i)
        if after is not None:
            i = after
            continue
        c = text[i]
        if c in ")}":
            depth -= 1
        yield i, c, depth
        if c in "({":
            depth += 1
        i += 1


def _if_arguments(expression: str) -> list[str] | None:
    """The three arguments when the whole expression is one ``IF( , , )``, else None."""
    m = _IF.match(expression)
    if m is None:
        return None
    args: list[str] = []
    start = m.end()
    for i, c, depth in _nesting(expression, m.end() - 1):
        if c == "," and depth == 1:
            args.append(expression[start:i])
            start = i + 1
        elif c in ")}" and depth == 0:
            args.append(expression[start:i])
            return args if len(args) == 3 and not expression[i + 1 :].strip() else None
    return None


def is_boolean(expression: str) -> bool:
    """Whether an expression's value is a boolean: it starts with ``!`` or a boolean
    function (EXISTS, BOUND, REGEX, ...), has a comparison or ``&&`` / ``||`` outside
    any parentheses, or is an ``IF`` whose two values are boolean (``IF(?a > 0, 1, 2)``
    is not boolean, ``IF(?a > 0, true, EXISTS { })`` is)."""
    branches = _if_arguments(expression)
    if branches is not None:
        return is_boolean(branches[1]) and is_boolean(branches[2])
    if _BOOLEAN_START.match(expression):
        return True
    level = [" "] * len(expression)
    for i, c, depth in _nesting(expression):
        if depth == 0 and c not in "(){}":
            level[i] = c
    return bool(_COMPARISON.search("".join(level)))


def _split_and(expression: str) -> list[str]:
    """The operands of the top-level ``&&`` of an expression (one when it has none)."""
    parts: list[str] = []
    start = 0
    for i, c, depth in _nesting(expression):
        if c == "&" and depth == 0 and i >= start and expression.startswith("&&", i):
            parts.append(expression[start:i])
            start = i + 2
    return [*parts, expression[start:]]


def _conjunction_as_ifs(expression: str) -> str:
    """``a && EXISTS { } && c`` as ``IF(a, IF(EXISTS { }, IF(c, true, false), false),
    false)``, also under a leading ``!( )`` and in the parts of an ``IF( , , )``, whose
    values become constants (``IF(c, x, EXISTS { })``: ``IF(EXISTS { }, true, false)``);
    other expressions unchanged."""
    e = expression.strip()
    if e.startswith("!"):
        rest = e[1:].lstrip()
        pairs = _pairs(rest, "(", ")")
        if rest.startswith("(") and pairs.get(0) == len(rest) - 1:
            inner = _conjunction_as_ifs(rest[1:-1])
            if inner != rest[1:-1]:
                return f"IF({inner}, false, true)"
        return expression
    args = _if_arguments(e)
    if args is not None:
        parts = [_conjunction_as_ifs(args[0]), *(_constant_value(v) for v in args[1:])]
        if parts == args:
            return expression
        return f"IF({', '.join(p.strip() for p in parts)})"
    parts = _split_and(e)
    if len(parts) < 2 or not any(_EXISTS.search(p) for p in parts):
        return expression
    result = f"IF({parts[-1].strip()}, true, false)"
    for part in reversed(parts[:-1]):
        result = f"IF({part.strip()}, {result}, false)"
    return result


def _constant_value(value: str) -> str:
    """An IF's value: an ``EXISTS`` as ``IF(EXISTS { }, true, false)``, a conjunction
    with one as nested IFs, anything else unchanged."""
    rewritten = _conjunction_as_ifs(value)
    if rewritten == value and re.match(r"\s*(?:NOT\s+)?EXISTS\b", value, re.I):
        return f"IF({value.strip()}, true, false)"
    return rewritten


def exists_conjunction(span: str) -> str:
    """``(a && EXISTS { } AS ?x)`` as nested IFs of the constants true and false: the
    same value, where Virtuoso 7.2 refuses ``&&`` next to ``EXISTS`` in an assigned
    expression (SQ074) and leaves an ``EXISTS`` given as an IF's value unbound."""
    inner = span[1:-1]
    m = _AS_TAIL.search(inner)
    if m is None:
        return span
    expression = inner[: m.start()]
    rewritten = _conjunction_as_ifs(expression)
    if rewritten == expression:
        return span
    return f"({rewritten} {inner[m.start():]})"


def boolean_cast(span: str) -> str:
    """``(expr AS ?x)`` as ``(xsd:boolean(expr) AS ?x)`` when ``expr`` is boolean: the
    same value, where Virtuoso gives a computed boolean as the integer 1 or 0."""
    inner = span[1:-1]
    m = _AS_TAIL.search(inner)
    if m is None:
        return span
    expression = inner[: m.start()]
    if not is_boolean(expression):
        return span
    return f"(<{XSD_BOOLEAN}>({expression.strip()}) {inner[m.start():]})"


_CLAUSE_END = {"HAVING", "ORDER", "LIMIT", "OFFSET", "VALUES"}


def _regions(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of the projections ("select") and the GROUP BY and ORDER BY
    lists ("list") of every query level, outside parentheses."""
    parens = _pairs(text, "(", ")")
    inside = sorted(parens.items())

    def in_parens(pos: int) -> bool:
        return any(a < pos < b for a, b in inside if a < pos)

    tokens = [(k, s, e) for k, s, e in _tokens(text) if not in_parens(s)]
    regions: list[tuple[int, int, str]] = []
    for n, (kind, start, end) in enumerate(tokens):
        word = text[start:end].upper() if kind == "word" else ""
        if word == "SELECT":
            stop = next((s for k, s, e in tokens[n + 1 :]
                         if k == "{" or text[s:e].upper() in ("WHERE", "FROM")), len(text))
            regions.append((end, stop, "select"))
        elif word == "BY" and n and text[tokens[n - 1][1] : tokens[n - 1][2]].upper() in (
                "GROUP", "ORDER"):
            stop = next((s for k, s, e in tokens[n + 1 :]
                         if k in "{}" or text[s:e].upper() in _CLAUSE_END), len(text))
            regions.append((end, stop, "list"))
    return regions


def substitute_parameters(text: str, terms: Mapping[str, tuple[str, str]]) -> str:
    """``text`` with each variable of ``terms`` replaced by its value, everywhere
    (SEP-0007 substitution): written as an expression (``terms[name][0]``) in FILTER
    and ``(expr AS ?x)``, as a term (``[1]``) in patterns, ``(value AS ?x)`` in a
    projection, ``(value)`` in GROUP BY / ORDER BY; ``BOUND(?x)`` becomes ``true``.
    A variable in a VALUES clause of the query is not substituted (the caller binds it)."""
    spans = expression_spans(text)
    regions = _regions(text)

    def write(i: int, name: str, _: int) -> str:
        expression, term = terms[name]
        span = next(((a, b) for a, b, _ in spans if a <= i < b), None)
        if span is not None:
            nested = text.count("{", span[0], i) > text.count("}", span[0], i)
            return term if nested else expression
        region = next((k for a, b, k in regions if a <= i < b), None)
        if region == "select":
            return f"({expression} AS ?{name})"
        if region == "list":
            return f"({expression})"
        return term

    return _walk(text, terms, write)


def in_values_clause(text: str) -> set[str]:
    """The variables that a VALUES clause of the query binds."""
    names: set[str] = set()
    for kind, start, end in _tokens(text):
        if kind == "word" and text[start:end].upper() == "VALUES":
            m = re.match(r"\s*(\([^)]*\)|[?$][A-Za-z_][A-Za-z0-9_]*)", text[end:])
            if m:
                names.update(re.findall(r"[?$]([A-Za-z_][A-Za-z0-9_]*)", m.group(1)))
    return names


#: ``?d + STRDT(CONCAT("P", STR(?n), "M"), xsd:yearMonthDuration)``, the form the
#: project's queries add months to a date in
_ADD_MONTHS = re.compile(
    r"(?P<date>[?$][A-Za-z_][A-Za-z0-9_]*|"
    r"STRDT\(\s*\"[^\"]*\"\s*,\s*(?:<[^<>\s]+>|[A-Za-z][\w.\-]*:[\w.\-]*)\s*\))"
    r"\s*(?P<op>[+-])\s*STRDT\(\s*CONCAT\(\s*\"P\"\s*,\s*STR\((?P<months>[^()]+)\)\s*,"
    r"\s*\"M\"\s*\)\s*,\s*(?:xsd:yearMonthDuration|"
    r"<http://www\.w3\.org/2001/XMLSchema#yearMonthDuration>)\s*\)"
)


def virtuoso_month_arithmetic(text: str) -> str:
    """``date ± STRDT(CONCAT("P", STR(n), "M"), xsd:yearMonthDuration)`` as Virtuoso's
    ``bif:dateadd("month", ±n, date)``: Virtuoso 7.2 has no arithmetic on
    xsd:yearMonthDuration (the sum is unbound)."""
    def month(m: re.Match) -> str:
        sign = "-" if m.group("op") == "-" else ""
        return f'bif:dateadd("month", {sign}({m.group("months").strip()}), {m.group("date")})'

    return _ADD_MONTHS.sub(month, text)

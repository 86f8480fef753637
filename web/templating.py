"""Jinja filters for showing RDF terms from query results, and a fast link helper."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from flask import Flask, g, url_for
from rdflib import BNode, Literal, URIRef
from rdflib.term import Identifier

from sdgraph import i18n
from sdgraph.identity import gemeente_code
from sdgraph.namespaces import PREFIXES, TOOI_GEMEENTE
from sdgraph.output import plain, text


def is_true(term: Identifier | None) -> bool:
    """True only for the boolean literal true (e.g. sd:illustratief)."""
    return plain(term) is True


def is_iri(term: Identifier | None) -> bool:
    return isinstance(term, URIRef)


def gm_code(term: Identifier | str | None) -> str | None:
    """'GM0823' for a TOOI gemeente IRI (an IRI term or a plain string), else None."""
    if isinstance(term, (URIRef, str)) and not isinstance(term, (Literal, BNode)) and str(
        term
    ).startswith(str(TOOI_GEMEENTE)):
        code = gemeente_code(str(term))
        return code.upper() if code else None
    return None


#: Known prefixes, longest namespace first (so 'sdid:' wins over a shorter match).
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))


def curie(term: Identifier | None) -> str:
    """An IRI in prefix form where a known prefix fits ('gm:gm0823'), else in full."""
    text = str(term) if term is not None else ""
    for prefix, ns in _BY_LENGTH:
        if text.startswith(ns) and len(text) > len(ns):
            return f"{prefix}:{text[len(ns):]}"
    return text


def _number(value: object) -> float | int | Decimal | None:
    """A query value or a Python number as a number; None for no value or an unreadable one."""
    value = plain(value) if isinstance(value, Literal) else value
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, (int, float, Decimal)):
        return value
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


def getal(value: object, decimals: int = 1) -> str:
    """A number for reading, in the page's language (CLDR): 1.234,5 (nl) or 1,234.5 (en)."""
    number = _number(value)
    if number is None:
        return "–"
    return i18n.format_number(number, g.get("lang", i18n.DEFAULT), decimals)


def bedrag(value: object, decimals: int | None = None) -> str:
    """An amount in euro in the page's language (CLDR): € 1.234,50 (nl) or €1,234.50 (en)."""
    number = _number(value)
    if number is None:
        return "–"
    return i18n.format_currency(number, g.get("lang", i18n.DEFAULT), "EUR", decimals)


def procent(value: object, decimals: int = 0) -> str:
    """A fraction as a percentage in the page's language (CLDR): 12,5% (nl) or 12.5% (en)."""
    number = _number(value)
    if number is None:
        return "–"
    return i18n.format_percent(number, g.get("lang", i18n.DEFAULT), decimals)


def is_number(term: Identifier | None) -> bool:
    """True for a numeric literal (integer, decimal, double ...)."""
    value = plain(term)
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def getal_term(term: Identifier | None) -> str:
    """A numeric literal in the page's language: whole numbers grouped (1.234), others
    with up to four decimals (0,7333); other terms as text."""
    value = plain(term)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return text(term)
    if isinstance(value, int) or float(value).is_integer():
        return getal(value, 0)
    decimals = min(4, max(1, len(f"{value:.4f}".rstrip("0").split(".")[1])))
    return getal(value, decimals)


#: The characters werkzeug leaves unescaped in a query string (werkzeug.urls._urlencode:
#: the WHATWG percent-encode set), so that :func:`query_url` writes what url_for writes.
_QUERY_SAFE = "!$'()*,/:;?@"


def query_url(endpoint: str, **args: object) -> str:
    """``url_for(endpoint, **args)`` for an endpoint whose arguments are all query arguments
    (``/resource?uri=``, ``/organisatie?iri=``): the path is built once per request and
    the query encoded as werkzeug does. url_for takes 10-20 µs, and a regional matrix links
    about a thousand IRIs."""
    bases = g.setdefault("query_url_bases", {})
    base = bases.get(endpoint)
    if base is None:
        base = bases[endpoint] = url_for(endpoint)
    query = urlencode([(k, str(v)) for k, v in args.items() if v is not None], safe=_QUERY_SAFE)
    return f"{base}?{query}" if query else base


def init_app(app: Flask) -> None:
    app.jinja_env.filters["t"] = text
    app.jinja_env.globals["query_url"] = query_url
    app.jinja_env.filters["plain"] = plain
    app.jinja_env.filters["is_true"] = is_true
    app.jinja_env.filters["curie"] = curie
    app.jinja_env.filters["gm_code"] = gm_code
    app.jinja_env.filters["getal"] = getal
    app.jinja_env.filters["bedrag"] = bedrag
    app.jinja_env.filters["procent"] = procent
    app.jinja_env.filters["getal_term"] = getal_term
    app.jinja_env.tests["iri"] = is_iri
    app.jinja_env.tests["number_term"] = is_number
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

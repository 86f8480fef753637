"""Jinja filters for showing RDF terms from query results."""

from __future__ import annotations

from flask import Flask, g
from rdflib import BNode, Literal, URIRef
from rdflib.term import Identifier

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


def getal(value: float | int | None, decimals: int = 1) -> str:
    """A number for reading, in the page's language: 1.234,5 (nl) or 1,234.5 (en)."""
    if value is None:
        return "–"
    formatted = f"{value:,.{decimals}f}"
    if g.get("lang", "nl") == "nl":
        formatted = formatted.replace(",", "_").replace(".", ",").replace("_", ".")
    return formatted


def init_app(app: Flask) -> None:
    app.jinja_env.filters["t"] = text
    app.jinja_env.filters["plain"] = plain
    app.jinja_env.filters["is_true"] = is_true
    app.jinja_env.filters["curie"] = curie
    app.jinja_env.filters["gm_code"] = gm_code
    app.jinja_env.filters["getal"] = getal
    app.jinja_env.tests["iri"] = is_iri
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

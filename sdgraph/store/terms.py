"""Conversion between pyoxigraph terms and rdflib terms.

rdflib terms are the currency of the core API: both backends return them,
so callers never see which store answered.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

_XSD_STRING = str(XSD.string)
_RDF_LANG = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def from_ox(term: object) -> Identifier | None:
    """pyoxigraph term -> rdflib term (plain strings without datatype)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        return (
            Literal(term.value) if dt == _XSD_STRING else Literal(term.value, datatype=URIRef(dt))
        )
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    raise TypeError(f"unsupported term {term!r}")


#: pyoxigraph term -> rdflib term, shared by every result in the process: results repeat
#: the same IRIs, names and values (across rows, queries and requests), and converting one
#: costs ~20 us (rdflib validates every IRI and parses every typed literal), looking one
#: up ~0.2 us. Terms are immutable, so a shared one is as good as a new one. Emptied when
#: it reaches :data:`_MEMO_MAX` terms (a bound on its memory, tens of MB).
_MEMO: dict[object, Identifier] = {}
_MEMO_MAX = 200_000


def from_ox_memo(term: object) -> Identifier | None:
    """:func:`from_ox`, remembered (see :data:`_MEMO`)."""
    if term is None:
        return None
    found = _MEMO.get(term)
    if found is None:
        if len(_MEMO) >= _MEMO_MAX:
            _MEMO.clear()
        found = _MEMO[term] = from_ox(term)
    return found


def from_json(binding: dict[str, str] | None) -> Identifier | None:
    """SPARQL 1.1 JSON results binding -> rdflib term."""
    if binding is None:
        return None
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return URIRef(value)
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in binding:
            return Literal(value, lang=binding["xml:lang"])
        dt = binding.get("datatype")
        if dt and dt not in (_XSD_STRING, _RDF_LANG):
            return Literal(value, datatype=URIRef(dt))
        return Literal(value)
    if kind == "bnode":
        return BNode(value)
    raise ValueError(f"unsupported binding type {kind!r}")


def to_ox(term: Identifier) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    """rdflib term -> pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise TypeError(f"unsupported term {term!r}")

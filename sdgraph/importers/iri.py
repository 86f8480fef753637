"""Checks of IRIs and codes an importer mints from its input.

A code or IRI read from a source file is checked before it becomes a node: rdflib
accepts almost any string as a URIRef and fails only when serializing, and the store
rejects what RFC 3987 does not allow. Both checks are applied, so what passes here
loads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pyoxigraph
from rdflib import Graph, URIRef
from rdflib.term import _is_valid_uri

from ..errors import DataError
from ..i18n import N_

#: A code that may become an IRI path segment as it is (CBS regio codes: 'WG31', 'JZ39').
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


def iri_error(value: str) -> str | None:
    """Why ``value`` is not an absolute IRI both rdflib and the store accept; None if it is."""
    if not _is_valid_uri(value):
        return "invalid character in IRI"
    try:
        pyoxigraph.NamedNode(value)
    except ValueError as exc:
        return str(exc)
    return None


def is_iri(value: str) -> bool:
    """True when ``value`` is an absolute IRI that rdflib and the store accept."""
    return iri_error(value) is None


def is_code(value: str) -> bool:
    """True when ``value`` can be a path segment of a minted IRI (letters, digits, _.-)."""
    return _CODE.fullmatch(value) is not None


def invalid_iris(graph: Graph) -> Iterable[str]:
    """The IRIs of ``graph`` that would not serialize or load (each once)."""
    iris = {term for triple in graph for term in triple if isinstance(term, URIRef)}
    return sorted(str(n) for n in iris if not is_iri(str(n)))


def check_graph(graph: Graph, source: str) -> None:
    """Raise a DataError naming ``source`` and the first IRI that would not load: the last
    guard when an importer let one through (nothing is stored then)."""
    for bad in invalid_iris(graph):
        raise DataError(
            N_("{bron}: ongeldige IRI {iri} uit de invoer; niets geladen."), bron=source,
            iri=repr(bad))

"""Refuse XML that declares entities before any XML parser sees it.

An RDF/XML file can declare nested entities ("billion laughs") that expand a
1 KB file into gigabytes; pyoxigraph's RDF/XML parser expands them (a 1 KB
file took 67 s and 6.9 GB here). RDF data never needs its own entities beyond
namespace shortcuts, so, as defusedxml does by default, any ``<!ENTITY``
declaration in the document type is an error that names file and line.
"""

from __future__ import annotations

import re

from .errors import DataError

_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)


def check_xml(data: bytes, where: str) -> None:
    """Raise DataError when ``data`` declares XML entities (internal or external)."""
    doctype = _DOCTYPE.search(data)
    if doctype is None:
        return
    entity = _ENTITY.search(data, doctype.start())
    if entity is not None:
        line = data.count(b"\n", 0, entity.start()) + 1
        raise DataError(
            f"{where}, line {line}: XML entity declarations (<!ENTITY) are not accepted; "
            "they can expand a small file into gigabytes. Write the values out in full."
        )

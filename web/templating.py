"""Jinja filters for showing RDF terms from query results."""

from __future__ import annotations

from flask import Flask
from rdflib.term import Identifier

from sdgraph.output import plain, text


def is_true(term: Identifier | None) -> bool:
    """True only for the boolean literal true (e.g. sd:illustratief)."""
    return plain(term) is True


def init_app(app: Flask) -> None:
    app.jinja_env.filters["t"] = text
    app.jinja_env.filters["plain"] = plain
    app.jinja_env.filters["is_true"] = is_true
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
